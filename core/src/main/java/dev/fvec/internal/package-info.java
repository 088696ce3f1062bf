/** Not API: classes the fvec modules share with each other and their tests. Do not use. */
package dev.fvec.internal;
