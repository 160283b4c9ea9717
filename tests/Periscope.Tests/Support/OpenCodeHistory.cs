using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Periscope.Tests.Support;

/// <summary>
/// An OpenCode database laid out as OpenCode 1.18.33 lays it out (the tables Periscope reads, and
/// the credential tables it must not), filled by the test: from a recorded session's hook calls,
/// or row by row. The live databases the real CLI writes are in tests/e2e/ImportTests.cs.
/// </summary>
internal sealed class OpenCodeHistory
{
    /// <summary>OpenCode 1.18.33's DDL, as `sqlite3 opencode.db .schema` prints it (foreign keys to tables not created here left out).</summary>
    public const string Schema = """
        CREATE TABLE `session` (
          `id` text PRIMARY KEY, `project_id` text NOT NULL, `workspace_id` text, `parent_id` text, `slug` text NOT NULL,
          `directory` text NOT NULL, `path` text, `title` text NOT NULL, `version` text NOT NULL, `share_url` text,
          `summary_additions` integer, `summary_deletions` integer, `summary_files` integer, `summary_diffs` text, `metadata` text,
          `cost` real DEFAULT 0 NOT NULL, `tokens_input` integer DEFAULT 0 NOT NULL, `tokens_output` integer DEFAULT 0 NOT NULL,
          `tokens_reasoning` integer DEFAULT 0 NOT NULL, `tokens_cache_read` integer DEFAULT 0 NOT NULL, `tokens_cache_write` integer DEFAULT 0 NOT NULL,
          `revert` text, `permission` text, `agent` text, `model` text,
          `time_created` integer NOT NULL, `time_updated` integer NOT NULL, `time_compacting` integer, `time_archived` integer);
        CREATE TABLE `message` (
          `id` text PRIMARY KEY, `session_id` text NOT NULL, `time_created` integer NOT NULL, `time_updated` integer NOT NULL, `data` text NOT NULL,
          CONSTRAINT `fk_message_session_id_session_id_fk` FOREIGN KEY (`session_id`) REFERENCES `session`(`id`) ON DELETE CASCADE);
        CREATE INDEX `message_session_time_created_id_idx` ON `message` (`session_id`,`time_created`,`id`);
        CREATE TABLE `account` (
          `id` text PRIMARY KEY, `email` text NOT NULL, `url` text NOT NULL, `access_token` text NOT NULL, `refresh_token` text NOT NULL,
          `token_expiry` integer, `time_created` integer NOT NULL, `time_updated` integer NOT NULL);
        CREATE TABLE `credential` (
          `id` text PRIMARY KEY, `integration_id` text, `label` text NOT NULL, `value` text NOT NULL, `connector_id` text, `method_id` text,
          `active` integer, `time_created` integer NOT NULL, `time_updated` integer NOT NULL);
        CREATE TABLE `control_account` (
          `email` text NOT NULL, `url` text NOT NULL, `access_token` text NOT NULL, `refresh_token` text NOT NULL, `token_expiry` integer,
          `active` integer NOT NULL, `time_created` integer NOT NULL, `time_updated` integer NOT NULL,
          CONSTRAINT `control_account_pk` PRIMARY KEY(`email`, `url`));
        PRAGMA journal_mode=WAL;
        """;

    public OpenCodeHistory(string path, string schema = Schema)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        TestSqlite.Execute(path, schema);
    }

    public string Path { get; }

    public void AddSession(string id, string title, string directory, long created, long updated, string? parentId = null)
        => TestSqlite.Execute(Path, $"""
            INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated)
            VALUES ({Text(id)}, 'global', {Text(parentId)}, 'slug', {Text(directory)}, {Text(title)}, '1.18.33', {created}, {updated});
            """);

    /// <summary>A message row: <paramref name="data"/> is the info JSON without its id and sessionID, as OpenCode stores it.</summary>
    public void AddMessage(string id, string sessionId, long created, string data)
        => TestSqlite.Execute(Path, $"INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES ({Text(id)}, {Text(sessionId)}, {created}, {created}, {Text(data)});");

    /// <summary>A completed assistant message with these tokens and cost.</summary>
    public void AddAssistant(string id, string sessionId, long created, long completed, decimal cost, long input = 100, long output = 10, string cwd = "/nowhere")
        => AddMessage(id, sessionId, created, new JsonObject
        {
            ["role"] = "assistant", ["mode"] = "build", ["agent"] = "build", ["modelID"] = "fake-model", ["providerID"] = "fake",
            ["path"] = new JsonObject { ["cwd"] = cwd, ["root"] = cwd },
            ["cost"] = cost,
            ["tokens"] = new JsonObject { ["total"] = input + output, ["input"] = input, ["output"] = output, ["reasoning"] = 0, ["cache"] = new JsonObject { ["read"] = 0, ["write"] = 0 } },
            ["time"] = new JsonObject { ["created"] = created, ["completed"] = completed },
            ["finish"] = "stop",
        }.ToJsonString());

    /// <summary>
    /// The sessions and messages of a recorded hook file, each as its last update left it (the
    /// state OpenCode's database holds once the session is over). Returns the message ids.
    /// </summary>
    public IReadOnlyList<string> AddRecorded(string fixture, string directory)
    {
        var messages = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var sessions = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var call in HookFixtures.Recorded(fixture).Where(c => c["hook"]!.GetValue<string>() == "event"))
        {
            var busEvent = call["input"]!["event"]!;
            var info = busEvent["properties"]?["info"]?.AsObject();
            switch (busEvent["type"]!.GetValue<string>())
            {
                case "message.updated" when info is not null:
                    messages[info["id"]!.GetValue<string>()] = (JsonObject)info.DeepClone();
                    break;
                case "session.created" or "session.updated" when info is not null:
                    sessions[info["id"]!.GetValue<string>()] = (JsonObject)info.DeepClone();
                    break;
            }
        }

        var sql = new StringBuilder();
        foreach (var session in sessions.Values)
        {
            var time = session["time"]!;
            sql.Append(CultureInfo.InvariantCulture, $"""
                INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated)
                VALUES ({Text(session["id"]!.GetValue<string>())}, 'global', {Text(session["parentID"]?.GetValue<string>())}, 'slug', {Text(directory)},
                        {Text(session["title"]!.GetValue<string>())}, '1.18.33', {time["created"]!.GetValue<long>()}, {time["updated"]!.GetValue<long>()});
                """);
        }

        foreach (var (id, info) in messages)
        {
            var sessionId = info["sessionID"]!.GetValue<string>();
            info.Remove("id");
            info.Remove("sessionID");
            var created = info["time"]!["created"]!.GetValue<long>();
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES ({Text(id)}, {Text(sessionId)}, {created}, {created}, {Text(info.ToJsonString())});\n");
        }

        TestSqlite.Execute(Path, sql.ToString());
        return [.. messages.Keys];
    }

    private static string Text(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
