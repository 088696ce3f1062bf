package dev.fvec.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parsed command line of one command: options ({@code --name value}, {@code --name=value},
 * flags) and positional arguments, checked against the command's {@link Spec}s.
 *
 * <p>Every error is a {@link CliException} whose message names the option and the value it got,
 * e.g. {@code --components: expected a whole number >= 1, got 'x'}.
 */
final class Options {

    /**
     * One option. {@code valueName} is {@code null} for a flag; {@code alias} (e.g. {@code -q}) may
     * be {@code null}.
     */
    static final class Spec {
        final String name;
        final String alias;
        final String valueName;
        final String help;

        private Spec(String name, String alias, String valueName, String help) {
            this.name = name;
            this.alias = alias;
            this.valueName = valueName;
            this.help = help;
        }

        static Spec flag(String name, String help) {
            return new Spec(name, null, null, help);
        }

        static Spec flag(String name, String alias, String help) {
            return new Spec(name, alias, null, help);
        }

        static Spec value(String name, String valueName, String help) {
            return new Spec(name, null, valueName, help);
        }

        boolean takesValue() {
            return valueName != null;
        }

        /** {@code --form F} or {@code -q, --quiet}, as help shows it. */
        String synopsis() {
            String s = (alias != null ? alias + ", " : "") + name;
            return takesValue() ? s + " " + valueName : s;
        }
    }

    /** The options every command accepts, before or after the command name. */
    static final List<Spec> COMMON = List.of(
            Spec.flag("--help", "-h", "show this help and exit"),
            Spec.flag("--quiet", "-q", "no progress or summary on stderr (errors are still reported)"),
            Spec.flag("--verbose", "-v", "more detail: kernel choice, timings, stack traces on errors"),
            Spec.value("--kernel", "NAME", "force the statistics kernel: scalar or simd (default: simd when usable)"));

    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Options(String command) {
        this.command = command;
    }

    /**
     * Parses {@code args[from..]} for {@code command} against {@code specs} plus {@link #COMMON}.
     * {@code --} ends the options; everything after it is positional.
     *
     * @throws CliException on an unknown option, a missing value, or an option given twice
     */
    static Options parse(String command, List<Spec> specs, List<String> args) throws CliException {
        Options o = new Options(command);
        List<Spec> all = new ArrayList<>(COMMON);
        all.addAll(specs);
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                o.positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            Spec spec = find(all, name);
            if (spec == null) {
                throw new CliException("unknown option " + name + " for '" + o.where() + "' (see '"
                        + o.where() + " --help')");
            }
            String value;
            if (!spec.takesValue()) {
                if (inline != null) {
                    throw new CliException(spec.name + " takes no value, got '" + arg + "'");
                }
                value = "";
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new CliException(spec.name + " needs a value: " + spec.synopsis());
            }
            if (o.values.containsKey(spec.name)) {
                throw new CliException(spec.name + " is given more than once");
            }
            o.values.put(spec.name, value);
        }
        return o;
    }

    private static Spec find(List<Spec> specs, String name) {
        for (Spec s : specs) {
            if (s.name.equals(name) || name.equals(s.alias)) {
                return s;
            }
        }
        return null;
    }

    private String where() {
        return command.isEmpty() ? "fvec" : "fvec " + command;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of {@code name}, or {@code null} when it is absent. */
    String value(String name) {
        return values.get(name);
    }

    List<String> positionals() {
        return Collections.unmodifiableList(positionals);
    }

    /** The value of a required option. */
    String required(String name) throws CliException {
        String v = values.get(name);
        if (v == null) {
            throw new CliException("missing " + name + " (see '" + where() + " --help')");
        }
        if (v.isEmpty()) {
            throw new CliException(name + " is empty");
        }
        return v;
    }

    /** Fails when both options are given. */
    void exclusive(String a, String b) throws CliException {
        if (has(a) && has(b)) {
            throw new CliException(a + " and " + b + " cannot be combined");
        }
    }

    /** An integer in {@code [min, max]}, or {@code fallback} when absent. */
    int intValue(String name, int fallback, int min, int max) throws CliException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        long x;
        try {
            x = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException(name + ": expected a whole number" + range(min, max) + ", got '" + v + "'");
        }
        if (x < min || x > max) {
            throw new CliException(name + ": expected a whole number" + range(min, max) + ", got " + x);
        }
        return (int) x;
    }

    /** A long, any value, or {@code fallback} when absent. */
    long longValue(String name, long fallback) throws CliException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException(name + ": expected a whole number, got '" + v + "'");
        }
    }

    /**
     * A finite number, or {@code fallback} when absent. {@code minOpen} excludes {@code min}
     * itself ({@code (0, 1]} rather than {@code [0, 1]}).
     */
    double doubleValue(String name, double fallback, double min, boolean minOpen, double max) throws CliException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String interval = (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]";
        double x;
        try {
            x = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException(name + ": expected a number in " + interval + ", got '" + v + "'");
        }
        boolean aboveMin = minOpen ? x > min : x >= min;
        if (!(aboveMin && x <= max)) { // also rejects NaN
            throw new CliException(name + ": expected a number in " + interval + ", got " + v);
        }
        return x;
    }

    /** One of {@code choices} (case-insensitive), lower-cased, or {@code fallback} when absent. */
    String choice(String name, String fallback, String... choices) throws CliException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        for (String c : choices) {
            if (c.equals(lower)) {
                return c;
            }
        }
        throw new CliException(name + ": expected " + String.join(" or ", choices) + ", got '" + v + "'");
    }

    private static String range(long min, long max) {
        if (max == Integer.MAX_VALUE) {
            return " >= " + min;
        }
        return " in [" + min + ", " + max + "]";
    }

    private static String fmt(double x) {
        if (x == Double.MAX_VALUE) {
            return "inf";
        }
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
