package dev.fvec.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AtomicFileTest {

    @TempDir
    Path dir;

    private static final byte[] OLD = "old content".getBytes(StandardCharsets.US_ASCII);

    // ------------------------------------------------------------ permissions

    /**
     * The umask belongs to the process, so each case runs {@link WriteMain} in a child JVM under
     * {@code /bin/sh -c 'umask U; exec java ...'}.
     */
    @ParameterizedTest
    @CsvSource({"022, rw-r--r--", "027, rw-r-----", "077, rw-------"})
    void newFileGetsTheUmasksMode(String umask, String expected) throws Exception {
        assumePosix();
        Path file = dir.resolve("new.npy");
        runChild(umask, file);
        assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(WriteMain.CONTENT, Files.readAllBytes(file));
        assertEquals(List.of("new.npy"), names());
    }

    @ParameterizedTest
    @CsvSource({"022, rw-rw----", "027, rw-rw-r--", "022, r--------"})
    void replacedFileKeepsItsMode(String umask, String mode) throws Exception {
        assumePosix();
        Path file = dir.resolve("old.npy");
        Files.write(file, OLD);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        runChild(umask, file);
        assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(WriteMain.CONTENT, Files.readAllBytes(file));
    }

    @Test
    void sameModeAsAPlainNewOutputStreamInThisProcess() throws IOException {
        assumePosix();
        Path plain = dir.resolve("plain");
        Files.newOutputStream(plain).close();
        Path atomic = dir.resolve("atomic");
        AtomicFile.write(atomic, ch -> ch.write(ByteBuffer.wrap(OLD)));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    /** Child JVM entry: writes {@link #CONTENT} to {@code args[0]} through {@link AtomicFile}. */
    static final class WriteMain {
        static final byte[] CONTENT = "written by the child".getBytes(StandardCharsets.US_ASCII);

        public static void main(String[] args) throws IOException {
            AtomicFile.write(Path.of(args[0]), ch -> ch.write(ByteBuffer.wrap(CONTENT)));
        }
    }

    /** Child JVM entry: starts writing {@code args[0]}, says so on stdout, and waits to be stopped. */
    static final class StuckMain {
        public static void main(String[] args) throws Exception {
            AtomicFile.write(Path.of(args[0]), ch -> {
                ch.write(ByteBuffer.wrap(WriteMain.CONTENT));
                System.out.println("writing");
                System.out.flush();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void stoppingTheJvmMidWriteLeavesNoTemporaryFile() throws Exception {
        // SIGTERM, as Ctrl-C's SIGINT, runs shutdown hooks; the old file stays as it was.
        Path file = dir.resolve("x.bin");
        Files.write(file, OLD);
        Process p = new ProcessBuilder(javaCommand(StuckMain.class, file)).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("writing", out.readLine());
            assertEquals(2, names().size(), "the temporary file exists while writing: " + names());
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not stop");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of("x.bin"), names());
        assertArrayEquals(OLD, Files.readAllBytes(file));
    }

    private static List<String> javaCommand(Class<?> main, Path file) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Stream.of(AtomicFile.class, main)
                .map(c -> {
                    try {
                        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct().collect(Collectors.joining(File.pathSeparator));
        return List.of(java, "-cp", cp, main.getName(), file.toString());
    }

    private void runChild(String umask, Path file) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + "; exec \"$@\"", "sh"));
        cmd.addAll(javaCommand(WriteMain.class, file));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child timed out");
        assertEquals(0, p.exitValue(), "child failed: " + output);
    }

    private static void assumePosix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }

    // ------------------------------------------------------------ force before the move

    @Test
    void forcesTheDataBeforeTheMoveAndClosesAfter() throws IOException {
        Path file = dir.resolve("x.bin");
        Files.write(file, OLD);
        List<String> events = new ArrayList<>();
        AtomicFile.write(file, ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            events.add("written");
        }, tmp -> new RecordingChannel(tmp, events, file, false));
        // At force time the target still had its old content: the move came after.
        assertEquals(List.of("written", "force(true), target old", "closed"), events);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(List.of("x.bin"), names());
    }

    // ------------------------------------------------------------ failures

    @Test
    void writerFailureLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("x.bin");
        Files.write(file, OLD);
        IllegalStateException thrown = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicFile.write(file, ch -> {
            ch.write(ByteBuffer.wrap(new byte[1000]));
            throw thrown;
        }));
        assertSame(thrown, e);
        assertArrayEquals(OLD, Files.readAllBytes(file));
        assertEquals(List.of("x.bin"), names());
    }

    @Test
    void checkedWriterExceptionPassesThroughUnwrapped() throws IOException {
        Path file = dir.resolve("new.bin");
        class Refused extends Exception {
            private static final long serialVersionUID = 1L;
        }
        assertThrows(Refused.class, () -> AtomicFile.write(file, ch -> {
            ch.write(ByteBuffer.wrap(OLD));
            throw new Refused();
        }));
        assertFalse(Files.exists(file));
        assertEquals(List.of(), names());
    }

    @Test
    void failedForceLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("x.bin");
        Files.write(file, OLD);
        List<String> events = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file,
                ch -> ch.write(ByteBuffer.wrap(new byte[] {9})),
                tmp -> new RecordingChannel(tmp, events, file, true)));
        assertEquals("force failed", e.getMessage());
        assertArrayEquals(OLD, Files.readAllBytes(file));
        assertEquals(List.of("x.bin"), names());
    }

    @Test
    void failedMoveLeavesTheTargetAndNoTemporaryFile() throws IOException {
        // A non-empty directory cannot be replaced by a file.
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.write(target.resolve("inside"), OLD);
        assertThrows(IOException.class, () -> AtomicFile.write(target, ch -> ch.write(ByteBuffer.wrap(OLD))));
        assertTrue(Files.isDirectory(target));
        assertArrayEquals(OLD, Files.readAllBytes(target.resolve("inside")));
        assertEquals(List.of("taken"), names());
    }

    @Test
    void missingDirectoryIsAnIOExceptionNamingIt() {
        Path file = dir.resolve("no-such-dir").resolve("x.bin");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, ch -> { }));
        assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** A real file channel that records force and close, and can fail force. */
    private static final class RecordingChannel extends FileChannel {
        private final FileChannel ch;
        private final List<String> events;
        private final Path target;
        private final boolean failForce;

        RecordingChannel(Path tmp, List<String> events, Path target, boolean failForce) throws IOException {
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            this.events = events;
            this.target = target;
            this.failForce = failForce;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForce) {
                throw new IOException("force failed");
            }
            ch.force(metaData);
            try {
                boolean old = Files.exists(target) && java.util.Arrays.equals(OLD, Files.readAllBytes(target));
                events.add("force(" + metaData + "), target " + (old ? "old" : "new"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected void implCloseChannel() throws IOException {
            ch.close();
            events.add("closed");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return ch.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return ch.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return ch.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return ch.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            ch.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            ch.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return ch.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return ch.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return ch.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return ch.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return ch.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return ch.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return ch.tryLock(position, size, shared);
        }
    }
}
