/*
 * The VLFeat side of the end-to-end benchmark (bench/e2e/run.sh): a small program a C user would
 * write, reading the same .npy files that `fvec` reads.
 *
 *   vlfeat_e2e encode THREADS MODEL_DIR OUT.npy IN.npy...
 *       One improved Fisher vector (vl_fisher_encode, VL_FISHER_FLAG_IMPROVED: signed square root,
 *       then L2) per input file, written as the float32 rows of OUT.npy, in argument order.
 *       MODEL_DIR holds weights.npy (K), means.npy (K x D) and covariances.npy (K x D).
 *   vlfeat_e2e gmm THREADS K ITERATIONS DATA.npy OUT_DIR
 *       vl_gmm_cluster on the N x D rows of DATA.npy with k-means initialisation (a VlKMeans set up
 *       as VLFeat sets up its own when given none: ANN, random selection, 5 iterations, one tree,
 *       N / 4 comparisons) and ITERATIONS EM iterations; writes OUT_DIR/{weights,means,covariances}.npy.
 *
 * THREADS goes to vl_set_num_threads (VLFeat's OpenMP loops). Inputs: 2-D C-order little-endian
 * float32 or float64 .npy, format version 1, 2 or 3. Build: gcc -O2 -o vlfeat_e2e vlfeat_e2e.c -lvl -lm
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vl/fisher.h>
#include <vl/generic.h>
#include <vl/gmm.h>
#include <vl/kmeans.h>

static void die(const char *what, const char *file) {
  fprintf(stderr, "vlfeat_e2e: %s: %s\n", file, what);
  exit(2);
}

/* A 2-D (or 1-D, then cols = 1) array read from a .npy file, as floats. */
typedef struct {
  size_t rows, cols;
  float *data;
} Array;

/* Finds `key` in the header dictionary and returns the text after its colon, or NULL. */
static const char *field(const char *header, const char *key) {
  const char *p = strstr(header, key);
  if (p == NULL) return NULL;
  p = strchr(p + strlen(key), ':');
  return p == NULL ? NULL : p + 1;
}

/* Reads `file` into a; reuses a->data when it is large enough (capacity in floats in *cap). */
static void read_npy(const char *file, Array *a, size_t *cap) {
  FILE *f = fopen(file, "rb");
  if (f == NULL) die(strerror(errno), file);
  unsigned char pre[12];
  if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) die("not a .npy file", file);
  size_t hlen;
  if (pre[6] == 1) {
    hlen = pre[8] | (size_t)pre[9] << 8;
  } else if (pre[6] == 2 || pre[6] == 3) {
    if (fread(pre + 10, 1, 2, f) != 2) die("truncated header", file);
    hlen = pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
  } else {
    die("unsupported .npy format version", file);
  }
  if (hlen > (1u << 20)) die("header too long", file);
  char *header = calloc(hlen + 1, 1);
  if (header == NULL || fread(header, 1, hlen, f) != hlen) die("truncated header", file);

  const char *descr = field(header, "'descr'");
  const char *order = field(header, "'fortran_order'");
  const char *shape = field(header, "'shape'");
  if (descr == NULL || order == NULL || shape == NULL) die("header lacks descr, fortran_order or shape", file);
  while (*descr == ' ') descr++;
  size_t item;
  if (strncmp(descr, "'<f4'", 5) == 0) {
    item = 4;
  } else if (strncmp(descr, "'<f8'", 5) == 0) {
    item = 8;
  } else {
    die("dtype is not little-endian float32 or float64", file);
  }
  while (*order == ' ') order++;
  if (strncmp(order, "False", 5) != 0) die("Fortran order is not supported", file);
  while (*shape == ' ') shape++;
  unsigned long long dims[2] = {0, 1};
  int ndim = sscanf(shape, "(%llu, %llu)", &dims[0], &dims[1]);
  if (ndim < 1) die("cannot parse the shape", file);
  free(header);

  size_t count = (size_t)dims[0] * (size_t)dims[1];
  if (count > *cap) {
    free(a->data);
    a->data = malloc(count * sizeof(float));
    if (a->data == NULL) die("out of memory", file);
    *cap = count;
  }
  if (item == 4) {
    if (fread(a->data, 4, count, f) != count) die("data shorter than the shape says", file);
  } else {
    double *tmp = malloc(count * sizeof(double));
    if (tmp == NULL) die("out of memory", file);
    if (fread(tmp, 8, count, f) != count) die("data shorter than the shape says", file);
    for (size_t i = 0; i < count; i++) a->data[i] = (float)tmp[i];
    free(tmp);
  }
  fclose(f);
  a->rows = dims[0];
  a->cols = dims[1];
}

static float *load(const char *dir, const char *name, size_t *rows, size_t *cols) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  Array a = {0, 0, NULL};
  size_t cap = 0;
  read_npy(path, &a, &cap);
  *rows = a.rows;
  *cols = a.cols;
  return a.data;
}

/* Writes a float32 .npy (format 1.0, header padded to a multiple of 64 bytes as NumPy does). */
static void write_npy(const char *file, const float *data, size_t rows, size_t cols, int one_d) {
  char dict[128];
  if (one_d) {
    snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu,), }", rows);
  } else {
    snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, %zu), }", rows, cols);
  }
  size_t len = strlen(dict);
  size_t total = (10 + len + 1 + 63) / 64 * 64; /* magic, version, length, dict, '\n' */
  size_t hlen = total - 10;
  FILE *f = fopen(file, "wb");
  if (f == NULL) die(strerror(errno), file);
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hlen & 0xff),
                           (unsigned char)(hlen >> 8)};
  fwrite(pre, 1, 10, f);
  fputs(dict, f);
  for (size_t i = len; i < hlen - 1; i++) fputc(' ', f);
  fputc('\n', f);
  if (fwrite(data, sizeof(float), rows * cols, f) != rows * cols || fclose(f) != 0) die("write failed", file);
}

static long positive(const char *s, const char *what) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*end != '\0' || v < 1) die("expected a positive integer", what);
  return v;
}

static int encode(int argc, char **argv) {
  const char *dir = argv[0];
  const char *out = argv[1];
  size_t k, d, r, c;
  float *weights = load(dir, "weights.npy", &k, &c);
  float *means = load(dir, "means.npy", &r, &d);
  float *covariances = load(dir, "covariances.npy", &r, &c);
  if (r != k || c != d) die("means and covariances must both be K x D, K the length of weights", dir);

  size_t files = (size_t)argc - 2;
  size_t len = 2 * k * d;
  float *fv = malloc(files * len * sizeof(float));
  if (fv == NULL) die("out of memory", out);
  Array x = {0, 0, NULL};
  size_t cap = 0;
  for (size_t i = 0; i < files; i++) {
    read_npy(argv[2 + i], &x, &cap);
    if (x.cols != d) die("descriptor dimension differs from the model's", argv[2 + i]);
    vl_fisher_encode(fv + i * len, VL_TYPE_FLOAT, means, d, k, covariances, weights, x.data, x.rows,
                     VL_FISHER_FLAG_IMPROVED);
  }
  write_npy(out, fv, files, len, 0);
  return 0;
}

static int gmm(char **argv) {
  size_t k = (size_t)positive(argv[0], "K");
  size_t iterations = (size_t)positive(argv[1], "ITERATIONS");
  const char *file = argv[2];
  const char *dir = argv[3];
  size_t n, d;
  Array x = {0, 0, NULL};
  size_t cap = 0;
  read_npy(file, &x, &cap);
  n = x.rows;
  d = x.cols;

  VlKMeans *kmeans = vl_kmeans_new(VL_TYPE_FLOAT, VlDistanceL2);
  vl_kmeans_set_algorithm(kmeans, VlKMeansANN);
  vl_kmeans_set_initialization(kmeans, VlKMeansRandomSelection);
  vl_kmeans_set_max_num_iterations(kmeans, 5);
  vl_kmeans_set_num_trees(kmeans, 1);
  vl_kmeans_set_max_num_comparisons(kmeans, n / 4);
  vl_kmeans_set_num_repetitions(kmeans, 1);

  VlGMM *g = vl_gmm_new(VL_TYPE_FLOAT, d, k);
  vl_gmm_set_initialization(g, VlGMMKMeans);
  vl_gmm_set_kmeans_init_object(g, kmeans);
  /* What a user asking for ITERATIONS iterations would set. VLFeat 0.9.21 then runs ITERATIONS
     E and M steps plus one last E step (the posteriors it returns), unless it converges earlier. */
  vl_gmm_set_max_num_iterations(g, iterations);
  if (getenv("VLFEAT_E2E_VERBOSE")) vl_gmm_set_verbosity(g, 1);
  vl_gmm_cluster(g, x.data, n);

  mkdir(dir, 0777);
  char path[4096];
  snprintf(path, sizeof path, "%s/weights.npy", dir);
  write_npy(path, vl_gmm_get_priors(g), k, 1, 1);
  snprintf(path, sizeof path, "%s/means.npy", dir);
  write_npy(path, vl_gmm_get_means(g), k, d, 0);
  snprintf(path, sizeof path, "%s/covariances.npy", dir);
  write_npy(path, vl_gmm_get_covariances(g), k, d, 0);
  vl_gmm_delete(g);
  vl_kmeans_delete(kmeans);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 6 && strcmp(argv[1], "encode") == 0) {
    vl_set_num_threads((vl_size)positive(argv[2], "THREADS"));
    return encode(argc - 3, argv + 3);
  }
  if (argc == 7 && strcmp(argv[1], "gmm") == 0) {
    vl_set_num_threads((vl_size)positive(argv[2], "THREADS"));
    return gmm(argv + 3);
  }
  fprintf(stderr,
          "usage: vlfeat_e2e encode THREADS MODEL_DIR OUT.npy IN.npy...\n"
          "       vlfeat_e2e gmm THREADS K ITERATIONS DATA.npy OUT_DIR\n");
  return 2;
}
