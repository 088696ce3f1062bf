package dev.fvec.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny non-float entries (pca_whiten, image_size) of archives, hostile ones included. */
class SmallNpyTest {

    @TempDir
    Path dir;

    private static byte[] npy(String dict, byte[] data) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text).put(data);
        return b.array();
    }

    private SmallNpy read(byte[] entry, int max) throws IOException {
        Path file = dir.resolve("a.npz");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(entry);
            zip.closeEntry();
        }
        try (ZipFile z = new ZipFile(file.toFile())) {
            return SmallNpy.read(z, z.getEntry("x.npy"), "a.npz", max, "two numbers");
        }
    }

    private void rejected(byte[] entry, int max, String expected) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> read(entry, max));
        assertTrue(e.getMessage().contains("a.npz, entry 'x.npy'") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void readsIntegersFloatsAndBoolsInEitherByteOrder() throws IOException {
        byte[] be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(7).putLong(-3).array();
        SmallNpy a = read(npy("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", be), 4096);
        assertEquals("2,", a.shape);
        assertEquals(2, a.count());
        assertEquals(7, a.integer(0));
        assertEquals(-3.0, a.number(1));
        byte[] f = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).array();
        SmallNpy s = read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", f), 4096);
        assertEquals("", s.shape);
        assertEquals(2.5, s.number(0));
        SmallNpy u = read(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (), }", new byte[] {(byte) 200}), 4096);
        assertEquals(200, u.integer(0), "unsigned bytes are not sign-extended");
    }

    @Test
    void hostileEntriesGetAMessageNamingTheEntry() {
        String ok = "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }";
        rejected(npy(ok, new byte[16]), 40, "more than 40 bytes");
        byte[] badMagic = npy(ok, new byte[16]);
        badMagic[1] = 'X';
        rejected(badMagic, 4096, "bad magic");
        byte[] longHeader = npy(ok, new byte[16]);
        longHeader[8] = (byte) 0xff;
        rejected(longHeader, 4096, "truncated header");
        rejected(npy(ok, new byte[15]), 4096, "not a whole number");
        rejected(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", new byte[16]), 4096, "not a plain number");
        rejected(npy("{'descr': '<i3', 'fortran_order': False, 'shape': (2,), }", new byte[6]), 4096, "'<i3' is not supported");
        rejected(npy("{'descr': '<i8', 'shape': (2,), }", new byte[16]), 4096, "lacks");
        byte[] huge = ByteBuffer.allocate(8).putLong(-1).array();
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> read(npy("{'descr': '<u8', 'fortran_order': False, 'shape': (), }", huge), 4096).integer(0));
        assertTrue(e.getMessage().contains("above 2^63"), e.getMessage());
    }
}
