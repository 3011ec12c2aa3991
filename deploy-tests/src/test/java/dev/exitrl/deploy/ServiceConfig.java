package dev.exitrl.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The configuration a service reads, derived from its sources at test time (never a hand-written list), so that a
 * key added to a service fails the deployment checks until compose and the chart set it: the components of its
 * {@code @ConfigurationProperties} records (nested records included), the {@code ${key:default}} placeholders in
 * its Java code, and the keys and {@code ${ENV:default}} placeholders of its application.yml.
 */
final class ServiceConfig {
    /** Modules whose configuration the deployment files must set. */
    static final List<String> MODULES = List.of("task-service", "rollout-service", "trainer-service", "gateway");

    /**
     * Environment variables the deployment files may set that no service reads yet (none now: the gateway reads the
     * API keys, every service the internal token). Listed here so the check still catches every stray variable.
     */
    static final Map<String, String> RESERVED_ENV = Map.of();

    /**
     * One setting.
     *
     * @param name the property name in kebab case ({@code exit.task.lease-duration})
     * @param envNames environment variables that set it: Spring's two relaxed forms and an application.yml
     *                 placeholder variable, if any
     * @param defaultValue the default the service falls back to (null when none is known)
     */
    record Key(String name, Set<String> envNames, String defaultValue) {
        /** A default pointing at the machine itself: wrong inside a container, so deployments must set it. */
        boolean defaultsToLocalhost() {
            return defaultValue != null && defaultValue.contains("localhost");
        }
    }

    private static final Pattern CONFIG_PROPERTIES =
            Pattern.compile("@ConfigurationProperties\\(\\s*(?:prefix\\s*=\\s*|value\\s*=\\s*)?\"([^\"]+)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)(?::([^}]*))?}");
    private static final Pattern DEFAULT_VALUE = Pattern.compile("@DefaultValue\\(\\s*\"([^\"]*)\"");

    private final String module;
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final Set<String> placeholderEnv = new LinkedHashSet<>();

    private ServiceConfig(String module) {
        this.module = module;
    }

    /** Reads a module's sources under the repository root. */
    static ServiceConfig of(Path repository, String module) {
        var config = new ServiceConfig(module);
        Path main = repository.resolve(module).resolve("src/main");
        try (Stream<Path> files = Files.walk(main.resolve("java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                config.scanJava(Files.readString(file));
            }
            Path yml = main.resolve("resources/application.yml");
            if (Files.exists(yml)) {
                for (Object document : new Yaml().loadAll(Files.readString(yml))) {
                    config.scanYaml("", document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    String module() {
        return module;
    }

    /** The HTTP port the service listens on by default ({@code server.port} in its application.yml). */
    int port() {
        return Integer.parseInt(keys.get("server.port").defaultValue());
    }

    List<Key> keys() {
        return List.copyOf(keys.values());
    }

    /** The service's own settings ({@code exit.*}): the ones a deployment configures. */
    List<Key> exitKeys() {
        return keys.values().stream().filter(k -> k.name().startsWith("exit.")).toList();
    }

    /** Whether the service reads this environment variable (directly, or as a relaxed property name). */
    boolean readsEnv(String variable) {
        return placeholderEnv.contains(variable)
                || keys.values().stream().anyMatch(k -> k.envNames().contains(variable));
    }

    /** The key that a flattened property name (from a deployment's application.yml) sets, if the service reads it. */
    boolean readsProperty(String name) {
        String canonical = canonical(name);
        return keys.keySet().stream().anyMatch(k -> canonical(k).equals(canonical));
    }

    /** Spring's canonical form: lower case, no dashes. */
    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "");
    }

    private void scanJava(String source) {
        Matcher m = PLACEHOLDER.matcher(source);
        while (m.find()) {
            placeholder(m.group(1), m.group(2));
        }
        Matcher cp = CONFIG_PROPERTIES.matcher(source);
        while (cp.find()) {
            int record = source.indexOf("record ", cp.end());
            if (record < 0) {
                continue;
            }
            scanRecord(source, record, cp.group(1));
        }
    }

    /** The components of the record declared at {@code at}, under {@code prefix}; nested records recurse. */
    private void scanRecord(String source, int at, String prefix) {
        int open = source.indexOf('(', at);
        int close = matching(source, open);
        for (String component : splitTopLevel(source.substring(open + 1, close))) {
            String defaultValue = null;
            Matcher dv = DEFAULT_VALUE.matcher(component);
            if (dv.find()) {
                defaultValue = dv.group(1);
            }
            String[] tokens = stripAnnotations(component).trim().split("\\s+");
            String name = tokens[tokens.length - 1];
            String type = tokens.length > 1 ? tokens[tokens.length - 2] : "";
            String key = prefix + "." + kebab(name);
            Matcher nested = Pattern.compile("record\\s+" + Pattern.quote(type) + "\\s*\\(")
                    .matcher(source);
            if (!type.isEmpty() && nested.find()) {
                scanRecord(source, nested.start(), key);
            } else {
                add(key, defaultValue, null);
            }
        }
    }

    private void scanYaml(String prefix, Object node) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> scanYaml(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                scanYaml(prefix + "[" + i + "]", list.get(i));
            }
        } else if (node != null) {
            String value = String.valueOf(node);
            Matcher m = PLACEHOLDER.matcher(value);
            String variable = null;
            String defaultValue = value;
            if (m.find()) {
                placeholder(m.group(1), m.group(2));
                if (isEnvName(m.group(1))) {
                    variable = m.group(1);
                    defaultValue = m.group(2);
                }
                while (m.find()) {
                    placeholder(m.group(1), m.group(2));
                }
            }
            add(prefix, defaultValue, variable);
        }
    }

    private void placeholder(String name, String defaultValue) {
        if (isEnvName(name)) {
            placeholderEnv.add(name);
        } else {
            add(name, defaultValue, null);
        }
    }

    private void add(String name, String defaultValue, String variable) {
        var envNames = new LinkedHashSet<String>();
        String upper = name.toUpperCase(Locale.ROOT)
                .replace('.', '_')
                .replace("[", "_")
                .replace("]", "");
        envNames.add(upper.replace("-", ""));
        envNames.add(upper.replace('-', '_'));
        if (variable != null) {
            envNames.add(variable);
        }
        keys.merge(name, new Key(name, envNames, defaultValue), (a, b) -> {
            var merged = new LinkedHashSet<>(a.envNames());
            merged.addAll(b.envNames());
            return new Key(name, merged, a.defaultValue() != null ? a.defaultValue() : b.defaultValue());
        });
    }

    private static boolean isEnvName(String name) {
        return name.equals(name.toUpperCase(Locale.ROOT)) && !name.contains(".");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String stripAnnotations(String component) {
        var out = new StringBuilder();
        int i = 0;
        while (i < component.length()) {
            char c = component.charAt(i);
            if (c == '@') {
                int j = i + 1;
                while (j < component.length()
                        && (Character.isJavaIdentifierPart(component.charAt(j)) || component.charAt(j) == '.')) {
                    j++;
                }
                while (j < component.length() && Character.isWhitespace(component.charAt(j))) {
                    j++;
                }
                i = j < component.length() && component.charAt(j) == '(' ? matching(component, j) + 1 : j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().replaceAll("//[^\n]*", "");
    }

    private static List<String> splitTopLevel(String text) {
        var parts = new ArrayList<String>();
        int depth = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '<' || c == '{')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '>' || c == '}')) {
                depth--;
            } else if (!quoted && c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (!text.substring(start).isBlank()) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    private static int matching(String text, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && text.charAt(i - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced parentheses at " + open);
    }
}
