package dev.fvec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code fvec --version}: the version and git commit the jar was built from, and the Java running
 * it. The build writes both into the jar (see cli/pom.xml): {@code fvec-version.properties} by
 * resource filtering, {@code fvec-commit.txt} from {@code git describe} (absent outside a git
 * checkout).
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("fvec-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        String version = p.getProperty("version", "");
        if (version.isEmpty() || version.contains("${")) {
            version = "(version unknown)";
        }
        String commit = "";
        try (InputStream in = VersionProvider.class.getResourceAsStream("fvec-commit.txt")) {
            if (in != null) {
                commit = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
        if (commit.matches("[0-9a-f]{7,40}-dirty")) {
            commit = commit.substring(0, commit.length() - "-dirty".length()) + " with uncommitted changes";
        } else if (!commit.matches("[0-9a-f]{7,40}")) { // absent, or git's error message
            commit = "unknown (not built from a git checkout)";
        }
        return new String[] {
            "fvec " + version + ", git commit " + commit,
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
