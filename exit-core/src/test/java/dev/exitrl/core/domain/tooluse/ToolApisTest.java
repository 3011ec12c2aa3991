package dev.exitrl.core.domain.tooluse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.TaskJson;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every API function: its result, the state change it makes, and the error result of a refused call. */
class ToolApisTest {
    private static final String SCENARIO = """
            {"filesystem": {"cwd": "/alex", "root": {"alex": {
                 "notes": {"a.txt": "pear line\\napple line\\nzoo", "b.txt": "pear line\\nx"},
                 "empty": {}, ".hidden": "h"}}},
             "messaging": {"user_id": "USR001", "users": {"Alex": "USR001", "Blake": "USR002", "Casey": "USR003"},
                 "contacts": ["Blake"],
                 "messages": [{"id": 1, "sender": "USR001", "receiver": "USR002", "text": "Lunch at noon"},
                              {"id": 2, "sender": "USR003", "receiver": "USR001", "text": "lunch moved"}],
                 "next_message_id": 3},
             "ticketing": {"tickets": [
                 {"id": 1, "title": "VPN drops", "description": "d", "priority": 2, "status": "open",
                  "assignee": null, "resolution": null, "comments": []},
                 {"id": 2, "title": "Old", "description": "d", "priority": 1, "status": "closed",
                  "assignee": null, "resolution": null, "comments": []}], "next_ticket_id": 3}}
            """;

    private final ToolEnvironment env = new ToolEnvironment(TaskJson.mapper().readTree(SCENARIO));

    private String call(String name, Object... args) {
        return env.call(ToolUseGenerator.call(name, args), Set.of());
    }

    private String callJson(String json) {
        return env.call(TaskJson.mapper().readTree(json), Set.of());
    }

    private JsonNode at(String pointer) {
        return env.state().at(pointer);
    }

    private static void assertError(String result, String containing) {
        assertThat(result).startsWith("{\"error\":").contains(containing);
    }

    @Test
    void thereAreAtLeastThirtyFunctionsWithDistinctNamesAndSchemas() {
        List<ToolFunction> all =
                ToolEnvironment.functionsOf(List.of(FileSystemApi.NAME, MessagingApi.NAME, TicketingApi.NAME));
        assertThat(all).hasSize(31);
        Set<String> names = new HashSet<>();
        for (ToolFunction f : all) {
            assertThat(names.add(f.name())).as(f.name()).isTrue();
            JsonNode schema = f.schema();
            assertThat(schema.get("name").asString()).isEqualTo(f.name());
            assertThat(schema.at("/parameters/type").asString()).isEqualTo("object");
            assertThat(schema.at("/parameters/properties").size())
                    .isEqualTo(f.params().size());
        }
        assertThat(names)
                .contains(
                        "cd", "ls", "mkdir", "touch", "echo", "cat", "mv", "cp", "rm", "grep", "wc", "sort", "diff",
                        "find");
    }

    @Test
    void pwdLsAndCd() {
        assertThat(call("pwd")).isEqualTo("{\"current_working_directory\":\"/alex\"}");
        assertThat(call("ls")).isEqualTo("{\"current_directory_content\":[\"empty\",\"notes\"]}");
        assertThat(callJson("{\"name\":\"ls\",\"arguments\":{\"a\":true}}")).contains(".hidden");
        assertThat(call("cd", "folder", "notes")).contains("/alex/notes");
        assertThat(call("cd", "folder", "..")).contains("\"/alex\"");
        assertThat(call("cd", "folder", "/alex/notes")).contains("/alex/notes");
        assertError(call("cd", "folder", "nowhere"), "cd: no such directory: nowhere");
        assertError(call("cd", "folder", "a.txt"), "no such directory");
        assertThat(call("pwd")).contains("/alex/notes"); // a failed cd leaves the directory unchanged
    }

    @Test
    void mkdirAndTouchCreateAndRefuseExistingNames() {
        assertThat(call("mkdir", "dir_name", "new")).contains("created");
        assertThat(at("/filesystem/root/alex/new").isObject()).isTrue();
        assertError(call("mkdir", "dir_name", "new"), "already exists");
        assertError(call("mkdir", "dir_name", "a/b"), "not a name");
        assertThat(call("touch", "file_name", "t.txt")).contains("created");
        assertThat(at("/filesystem/root/alex/t.txt").asString()).isEmpty();
        assertError(call("touch", "file_name", "notes"), "already exists");
    }

    @Test
    void echoWritesOrPrintsAndCatReads() {
        assertThat(call("echo", "content", "hi")).isEqualTo("{\"terminal_output\":\"hi\"}");
        assertThat(at("/filesystem/root/alex").size()).isEqualTo(3); // printing wrote nothing
        call("echo", "content", "hello\nworld", "file_name", "w.txt");
        assertThat(at("/filesystem/root/alex/w.txt").asString()).isEqualTo("hello\nworld");
        assertThat(call("cat", "file_name", "w.txt")).isEqualTo("{\"file_content\":\"hello\\nworld\"}");
        assertError(call("echo", "content", "x", "file_name", "notes"), "is a directory");
        assertError(call("cat", "file_name", "missing.txt"), "cat: no such file: missing.txt");
        assertError(call("cat", "file_name", "notes"), "is a directory");
    }

    @Test
    void mvRenamesOrMovesIntoADirectory() {
        call("cd", "folder", "notes");
        call("mv", "source", "a.txt", "destination", "c.txt");
        assertThat(at("/filesystem/root/alex/notes/c.txt").asString()).startsWith("pear");
        assertThat(at("/filesystem/root/alex/notes/a.txt").isMissingNode()).isTrue();
        call("cd", "folder", "..");
        call("mv", "source", "notes", "destination", "empty");
        assertThat(at("/filesystem/root/alex/empty/notes/c.txt").isString()).isTrue();
        assertError(call("mv", "source", "notes", "destination", "x"), "no such file or directory");
        call("touch", "file_name", "f1");
        call("touch", "file_name", "f2");
        assertError(call("mv", "source", "f1", "destination", "f2"), "'f2' already exists");
        assertError(call("mv", "source", "empty", "destination", "empty"), "are the same");
    }

    @Test
    void cpCopiesDeeplyAndKeepsTheSource() {
        call("cp", "source", "notes", "destination", "notes2");
        call("cd", "folder", "notes2");
        call("echo", "content", "changed", "file_name", "a.txt");
        assertThat(at("/filesystem/root/alex/notes/a.txt").asString()).startsWith("pear");
        assertThat(at("/filesystem/root/alex/notes2/a.txt").asString()).isEqualTo("changed");
        call("cp", "source", "a.txt", "destination", "copy.txt");
        assertThat(at("/filesystem/root/alex/notes2/copy.txt").asString()).isEqualTo("changed");
        assertError(call("cp", "source", "nope", "destination", "x"), "cp: no such file or directory");
    }

    @Test
    void rmRemovesFilesAndDirectories() {
        call("rm", "file_name", "notes");
        assertThat(at("/filesystem/root/alex/notes").isMissingNode()).isTrue();
        assertError(call("rm", "file_name", "notes"), "rm: no such file or directory");
    }

    @Test
    void grepWcSortDiffAndFindRead() {
        call("cd", "folder", "notes");
        assertThat(call("grep", "file_name", "a.txt", "pattern", "line"))
                .isEqualTo("{\"matching_lines\":[\"pear line\",\"apple line\"]}");
        assertThat(call("wc", "file_name", "a.txt")).isEqualTo("{\"count\":3,\"type\":\"lines\"}");
        assertThat(call("wc", "file_name", "a.txt", "mode", "w")).isEqualTo("{\"count\":5,\"type\":\"words\"}");
        assertThat(call("wc", "file_name", "b.txt", "mode", "c")).isEqualTo("{\"count\":11,\"type\":\"characters\"}");
        assertError(call("wc", "file_name", "a.txt", "mode", "x"), "mode must be");
        assertThat(call("sort", "file_name", "a.txt"))
                .isEqualTo("{\"sorted_content\":\"apple line\\npear line\\nzoo\"}");
        assertThat(call("diff", "file_name1", "a.txt", "file_name2", "b.txt"))
                .isEqualTo("{\"diff_lines\":\"- apple line\\n+ x\\n- zoo\"}");
        assertError(call("grep", "file_name", "none", "pattern", "x"), "grep: no such file");
        call("cd", "folder", "/alex");
        assertThat(call("find", "path", ".", "name", "a")).isEqualTo("{\"matches\":[\"./notes/a.txt\"]}");
        assertThat(call("find")).contains("./.hidden", "./empty", "./notes", "./notes/b.txt");
        assertError(call("find", "path", "nowhere"), "find: no such directory");
        assertThat(env.state()).isEqualTo(new ToolEnvironment(TaskJson.mapper().readTree(SCENARIO)).state());
    }

    @Test
    void badCallsBecomeErrorResults() {
        assertError(callJson("{\"name\":\"rmdir\",\"arguments\":{}}"), "unknown function 'rmdir'");
        assertError(callJson("{\"arguments\":{}}"), "needs a \\\"name\\\"");
        assertError(callJson("{\"name\":\"cat\",\"arguments\":{}}"), "missing required argument 'file_name'");
        assertError(callJson("{\"name\":\"cat\",\"arguments\":{\"file_name\":3}}"), "must be a string");
        assertError(callJson("{\"name\":\"cat\",\"arguments\":{\"file\":\"a\"}}"), "unexpected argument 'file'");
        assertError(callJson("{\"name\":\"get_ticket\",\"arguments\":{\"ticket_id\":\"1\"}}"), "must be an integer");
        assertError(callJson("{\"name\":\"ls\",\"arguments\":[1]}"), "arguments must be a JSON object");
        assertThat(env.call(ToolUseGenerator.call("ls"), Set.of("ls"))).contains("unknown function 'ls'");
    }

    @Test
    void messaging() {
        assertThat(call("list_users")).isEqualTo("{\"users\":[\"Alex\",\"Blake\",\"Casey\"]}");
        assertThat(call("get_user_id", "user", "Casey")).isEqualTo("{\"user_id\":\"USR003\"}");
        assertError(call("get_user_id", "user", "Zed"), "no user named 'Zed'");
        assertThat(call("add_contact", "user_name", "Casey")).contains("USR003");
        assertThat(call("add_contact", "user_name", "Zed")).contains("USR004");
        assertThat(at("/messaging/users/Zed").asString()).isEqualTo("USR004");
        assertThat(at("/messaging/contacts").toString()).isEqualTo("[\"Blake\",\"Casey\",\"Zed\"]");
        assertError(call("add_contact", "user_name", "Blake"), "already a contact");
        assertThat(call("send_message", "receiver_id", "USR003", "message", "hello"))
                .isEqualTo("{\"sent\":true,\"message_id\":3}");
        assertThat(at("/messaging/messages/2/text").asString()).isEqualTo("hello");
        assertThat(at("/messaging/next_message_id").asInt()).isEqualTo(4);
        assertError(call("send_message", "receiver_id", "USR999", "message", "x"), "no user with id");
        assertThat(call("view_messages_sent"))
                .contains("Lunch at noon", "hello")
                .doesNotContain("lunch moved");
        assertThat(call("search_messages", "keyword", "LUNCH")).contains("Lunch at noon", "lunch moved");
        assertThat(call("get_message_stats")).isEqualTo("{\"sent\":2,\"received\":1,\"contacts\":3}");
        assertError(call("delete_message", "message_id", 2), "not sent by you");
        assertError(call("delete_message", "message_id", 42), "no message with id 42");
        assertThat(call("delete_message", "message_id", 1)).contains("\"deleted\":true");
        assertThat(at("/messaging/messages").size()).isEqualTo(2);
    }

    @Test
    void ticketing() {
        assertThat(call("create_ticket", "title", "T", "description", "D", "priority", 4))
                .isEqualTo("{\"id\":3,\"status\":\"open\"}");
        assertThat(at("/ticketing/tickets/2/priority").asInt()).isEqualTo(4);
        assertError(call("create_ticket", "title", "T", "description", "D", "priority", 9), "priority must be");
        assertThat(call("get_ticket", "ticket_id", 1)).contains("VPN drops");
        assertError(call("get_ticket", "ticket_id", 77), "no ticket with id 77");
        assertThat(call("list_tickets", "status", "closed")).contains("Old").doesNotContain("VPN");
        assertError(call("list_tickets", "status", "done"), "status must be");
        assertThat(call("edit_ticket", "ticket_id", 1, "priority", 5)).contains("\"priority\":5");
        assertThat(at("/ticketing/tickets/0/priority").asInt()).isEqualTo(5);
        assertError(call("edit_ticket", "ticket_id", 1), "give a title");
        assertThat(call("assign_ticket", "ticket_id", 1, "assignee", "Kai")).contains("Kai");
        assertThat(at("/ticketing/tickets/0/assignee").asString()).isEqualTo("Kai");
        assertThat(call("add_comment", "ticket_id", 1, "comment", "on it")).contains("\"comments\":1");
        assertThat(at("/ticketing/tickets/0/comments/0").asString()).isEqualTo("on it");
        assertThat(call("resolve_ticket", "ticket_id", 1, "resolution", "rebooted"))
                .contains("resolved");
        assertThat(at("/ticketing/tickets/0/resolution").asString()).isEqualTo("rebooted");
        assertError(call("resolve_ticket", "ticket_id", 1, "resolution", "again"), "not open");
        assertThat(call("close_ticket", "ticket_id", 1)).contains("closed");
        assertError(call("close_ticket", "ticket_id", 2), "already closed");
    }
}
