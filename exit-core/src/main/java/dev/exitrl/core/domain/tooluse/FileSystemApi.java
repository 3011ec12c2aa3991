package dev.exitrl.core.domain.tooluse;

import static dev.exitrl.core.domain.tooluse.ToolFunction.optional;
import static dev.exitrl.core.domain.tooluse.ToolFunction.required;

import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.tooluse.ToolFunction.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-memory file system modelled on BFCL's {@code GorillaFileSystem}: a tree of directories and text files and a
 * current directory. Like BFCL, most commands take a plain name in the current directory (no slashes); only
 * {@code cd} and {@code find} take paths. Files are text; lines are separated by {@code \n}.
 *
 * <p>Config and public state: {@code {"root": {<name>: <text of a file> | {<a directory>}}, "cwd": "/a/b"}}; the
 * state leaves out {@code cwd} (BFCL keeps the current directory private, so a model that ends in another
 * directory than the ground truth is not penalised for it).
 */
final class FileSystemApi implements ToolModule {
    static final String NAME = "filesystem";

    static final List<ToolFunction> FUNCTIONS = List.of(
            fn("pwd", "Print the absolute path of the current directory."),
            fn(
                    "ls",
                    "List the names in the current directory.",
                    optional("a", Type.BOOLEAN, "Also list hidden names.")),
            fn(
                    "cd",
                    "Change the current directory. Accepts a name, a relative path, '..', or an absolute path.",
                    required("folder", Type.STRING, "The directory to change to.")),
            fn(
                    "mkdir",
                    "Create a directory in the current directory.",
                    required("dir_name", Type.STRING, "Name of the new directory.")),
            fn(
                    "touch",
                    "Create an empty file in the current directory.",
                    required("file_name", Type.STRING, "Name of the new file.")),
            fn(
                    "echo",
                    "Write text to a file in the current directory (created or overwritten), or print it when no file"
                            + " is given.",
                    required("content", Type.STRING, "The text."),
                    optional("file_name", Type.STRING, "The file to write to.")),
            fn(
                    "cat",
                    "Show the content of a file in the current directory.",
                    required("file_name", Type.STRING, "The file.")),
            fn(
                    "mv",
                    "Move a file or directory of the current directory into a directory of the current directory, or"
                            + " rename it when the destination does not exist.",
                    required("source", Type.STRING, "Name to move."),
                    required("destination", Type.STRING, "Directory to move into, or the new name.")),
            fn(
                    "cp",
                    "Copy a file or directory of the current directory into a directory of the current directory, or"
                            + " to a new name when the destination does not exist.",
                    required("source", Type.STRING, "Name to copy."),
                    required("destination", Type.STRING, "Directory to copy into, or the name of the copy.")),
            fn(
                    "rm",
                    "Remove a file or directory (with its content) from the current directory.",
                    required("file_name", Type.STRING, "Name to remove.")),
            fn(
                    "grep",
                    "Show the lines of a file in the current directory that contain a pattern (plain text).",
                    required("file_name", Type.STRING, "The file."),
                    required("pattern", Type.STRING, "Text to look for.")),
            fn(
                    "wc",
                    "Count the lines, words or characters of a file in the current directory.",
                    required("file_name", Type.STRING, "The file."),
                    optional("mode", Type.STRING, "'l' for lines (default), 'w' for words, 'c' for characters.")),
            fn(
                    "sort",
                    "Show the lines of a file in the current directory in sorted order.",
                    required("file_name", Type.STRING, "The file.")),
            fn(
                    "diff",
                    "Compare two files of the current directory line by line.",
                    required("file_name1", Type.STRING, "First file."),
                    required("file_name2", Type.STRING, "Second file.")),
            fn(
                    "find",
                    "List the paths under a directory whose names contain a text.",
                    optional("path", Type.STRING, "Where to search (default '.', the current directory)."),
                    optional("name", Type.STRING, "Text the name must contain (default: every name).")));

    /** A directory: names to files (their text, a String) and subdirectories (a Dir), in name order. */
    private static final class Dir {
        final TreeMap<String, Object> entries = new TreeMap<>();

        Dir copy() {
            Dir d = new Dir();
            entries.forEach((k, v) -> d.entries.put(k, v instanceof Dir sub ? sub.copy() : v));
            return d;
        }
    }

    private final Dir root;
    private final List<String> cwd = new ArrayList<>();

    FileSystemApi(JsonNode config) {
        JsonNode rootConfig = config.get("root");
        if (rootConfig == null || !rootConfig.isObject()) {
            throw new IllegalArgumentException("filesystem config needs a 'root' object");
        }
        root = read(rootConfig);
        JsonNode cwdConfig = config.get("cwd");
        if (cwdConfig != null) {
            List<String> path = absolute(cwdConfig.asString());
            if (!(resolve(path) instanceof Dir)) {
                throw new IllegalArgumentException("filesystem config: cwd " + cwdConfig + " is not a directory");
            }
            cwd.addAll(path);
        }
    }

    private static ToolFunction fn(String name, String description, ToolFunction.Param... params) {
        return new ToolFunction(NAME, name, description, List.of(params));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ToolFunction> functions() {
        return FUNCTIONS;
    }

    @Override
    public ObjectNode state() {
        ObjectNode state = TaskJson.mapper().createObjectNode();
        state.set("root", write(root));
        return state;
    }

    /** The config that loads this exact file system, current directory included. */
    ObjectNode config() {
        ObjectNode config = state();
        config.put("cwd", path(cwd));
        return config;
    }

    @Override
    public String invoke(String function, JsonNode args) throws ToolError {
        return switch (function) {
            case "pwd" -> Results.of("current_working_directory", path(cwd));
            case "ls" -> ls(args.path("a").asBoolean(false));
            case "cd" -> cd(args.get("folder").asString());
            case "mkdir" -> create(args.get("dir_name").asString(), new Dir(), "mkdir");
            case "touch" -> create(args.get("file_name").asString(), "", "touch");
            case "echo" -> echo(args.get("content").asString(), text(args, "file_name"));
            case "cat" -> Results.of("file_content", file(args.get("file_name").asString(), "cat"));
            case "mv" ->
                move(args.get("source").asString(), args.get("destination").asString(), true);
            case "cp" ->
                move(args.get("source").asString(), args.get("destination").asString(), false);
            case "rm" -> rm(args.get("file_name").asString());
            case "grep" ->
                grep(args.get("file_name").asString(), args.get("pattern").asString());
            case "wc" -> wc(args.get("file_name").asString(), text(args, "mode"));
            case "sort" -> sort(args.get("file_name").asString());
            case "diff" ->
                diff(args.get("file_name1").asString(), args.get("file_name2").asString());
            case "find" -> find(text(args, "path"), text(args, "name"));
            default -> throw new IllegalArgumentException("no function " + function);
        };
    }

    private static String text(JsonNode args, String name) {
        JsonNode v = args.get(name);
        return v == null || v.isNull() ? null : v.asString();
    }

    private String ls(boolean all) {
        List<String> names = new ArrayList<>();
        for (String name : current().entries.keySet()) {
            if (all || !name.startsWith(".")) {
                names.add(name);
            }
        }
        return Results.of("current_directory_content", names);
    }

    private String cd(String folder) throws ToolError {
        List<String> target = folder.startsWith("/") ? new ArrayList<>() : new ArrayList<>(cwd);
        for (String part : folder.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!target.isEmpty()) {
                    target.remove(target.size() - 1);
                }
                continue;
            }
            target.add(part);
        }
        if (!(resolve(target) instanceof Dir)) {
            throw new ToolError("cd: no such directory: " + folder);
        }
        cwd.clear();
        cwd.addAll(target);
        return Results.of("current_working_directory", path(cwd));
    }

    private String create(String name, Object node, String command) throws ToolError {
        checkName(name, command);
        Dir here = current();
        if (here.entries.containsKey(name)) {
            throw new ToolError(command + ": '" + name + "' already exists");
        }
        here.entries.put(name, node);
        return Results.of("result", command + ": created '" + name + "'");
    }

    private String echo(String content, String fileName) throws ToolError {
        if (fileName == null) {
            return Results.of("terminal_output", content);
        }
        checkName(fileName, "echo");
        Dir here = current();
        if (here.entries.get(fileName) instanceof Dir) {
            throw new ToolError("echo: '" + fileName + "' is a directory");
        }
        here.entries.put(fileName, content);
        return Results.of("result", "echo: wrote " + content.length() + " characters to '" + fileName + "'");
    }

    private String move(String source, String destination, boolean removeSource) throws ToolError {
        String command = removeSource ? "mv" : "cp";
        checkName(source, command);
        checkName(destination, command);
        Dir here = current();
        Object node = here.entries.get(source);
        if (node == null) {
            throw new ToolError(command + ": no such file or directory: " + source);
        }
        if (source.equals(destination)) {
            throw new ToolError(command + ": '" + source + "' and '" + destination + "' are the same");
        }
        Object copy = node instanceof Dir d ? (removeSource ? d : d.copy()) : node;
        Object target = here.entries.get(destination);
        String where;
        if (target instanceof Dir into) {
            if (into == node) {
                throw new ToolError(command + ": cannot move '" + source + "' into itself");
            }
            if (into.entries.containsKey(source)) {
                throw new ToolError(command + ": '" + destination + "/" + source + "' already exists");
            }
            into.entries.put(source, copy);
            where = destination + "/" + source;
        } else if (target != null) {
            throw new ToolError(command + ": '" + destination + "' already exists");
        } else {
            here.entries.put(destination, copy);
            where = destination;
        }
        if (removeSource) {
            here.entries.remove(source);
        }
        return Results.of("result", command + ": '" + source + "' -> '" + where + "'");
    }

    private String rm(String name) throws ToolError {
        checkName(name, "rm");
        if (current().entries.remove(name) == null) {
            throw new ToolError("rm: no such file or directory: " + name);
        }
        return Results.of("result", "rm: removed '" + name + "'");
    }

    private String grep(String fileName, String pattern) throws ToolError {
        List<String> matches = new ArrayList<>();
        for (String line : lines(file(fileName, "grep"))) {
            if (line.contains(pattern)) {
                matches.add(line);
            }
        }
        return Results.of("matching_lines", matches);
    }

    private String wc(String fileName, String mode) throws ToolError {
        String content = file(fileName, "wc");
        String m = mode == null ? "l" : mode;
        return switch (m) {
            case "l" -> Results.of("count", lines(content).size(), "type", "lines");
            case "w" -> Results.of("count", words(content), "type", "words");
            case "c" -> Results.of("count", content.length(), "type", "characters");
            default -> throw new ToolError("wc: mode must be 'l', 'w' or 'c', was '" + m + "'");
        };
    }

    static int words(String content) {
        String stripped = content.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    private String sort(String fileName) throws ToolError {
        List<String> lines = new ArrayList<>(lines(file(fileName, "sort")));
        lines.sort(null);
        return Results.of("sorted_content", String.join("\n", lines));
    }

    private String diff(String first, String second) throws ToolError {
        List<String> a = lines(file(first, "diff"));
        List<String> b = lines(file(second, "diff"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : null;
            String y = i < b.size() ? b.get(i) : null;
            if (x == null || !x.equals(y)) {
                if (x != null) {
                    out.add("- " + x);
                }
                if (y != null) {
                    out.add("+ " + y);
                }
            }
        }
        return Results.of("diff_lines", String.join("\n", out));
    }

    private String find(String path, String name) throws ToolError {
        String start = path == null ? "." : path;
        List<String> base = start.startsWith("/") ? absolute(start) : append(cwd, start);
        if (!(resolve(base) instanceof Dir dir)) {
            throw new ToolError("find: no such directory: " + start);
        }
        List<String> matches = new ArrayList<>();
        collect(dir, start.endsWith("/") ? start.substring(0, start.length() - 1) : start, name, matches);
        return Results.of("matches", matches);
    }

    private static void collect(Dir dir, String prefix, String name, List<String> out) {
        for (Map.Entry<String, Object> e : dir.entries.entrySet()) {
            String p = prefix + "/" + e.getKey();
            if (name == null || e.getKey().contains(name)) {
                out.add(p);
            }
            if (e.getValue() instanceof Dir sub) {
                collect(sub, p, name, out);
            }
        }
    }

    private String file(String name, String command) throws ToolError {
        checkName(name, command);
        Object node = current().entries.get(name);
        if (node == null) {
            throw new ToolError(command + ": no such file: " + name);
        }
        if (node instanceof Dir) {
            throw new ToolError(command + ": '" + name + "' is a directory");
        }
        return (String) node;
    }

    private static List<String> lines(String content) {
        return content.isEmpty() ? List.of() : List.of(content.split("\n", -1));
    }

    private static void checkName(String name, String command) throws ToolError {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new ToolError(command + ": '" + name + "' is not a name in the current directory");
        }
    }

    private Dir current() {
        return (Dir) resolve(cwd);
    }

    private Object resolve(List<String> path) {
        Object node = root;
        for (String part : path) {
            if (!(node instanceof Dir d)) {
                return null;
            }
            node = d.entries.get(part);
        }
        return node;
    }

    private static List<String> absolute(String path) {
        return append(List.of(), path);
    }

    private static List<String> append(List<String> base, String path) {
        List<String> out = new ArrayList<>(base);
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(part);
            }
        }
        return out;
    }

    private static String path(List<String> parts) {
        return "/" + String.join("/", parts);
    }

    private static Dir read(JsonNode node) {
        Dir dir = new Dir();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isObject()) {
                dir.entries.put(e.getKey(), read(v));
            } else if (v.isString()) {
                dir.entries.put(e.getKey(), v.stringValue());
            } else {
                throw new IllegalArgumentException("filesystem config: '" + e.getKey() + "' must be text or an object");
            }
        }
        return dir;
    }

    private static ObjectNode write(Dir dir) {
        ObjectNode node = TaskJson.mapper().createObjectNode();
        dir.entries.forEach((k, v) -> {
            if (v instanceof Dir sub) {
                node.set(k, write(sub));
            } else {
                node.put(k, (String) v);
            }
        });
        return node;
    }
}
