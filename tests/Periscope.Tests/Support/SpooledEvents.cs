using System.Globalization;
using System.Text.Json.Nodes;
using Periscope.Platform;

namespace Periscope.Tests.Support;

/// <summary>
/// Real assistant_message events (the recorded fixture's expected event) with ids of their own,
/// written straight into a spool, oldest first; or as hook envelopes with distinct message ids.
/// </summary>
internal static class SpooledEvents
{
    private static readonly string s_template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "expected", "assistant-message-tool-calls.json"))
        .Replace("{VERSION}", "0.1.0", StringComparison.Ordinal);

    /// <summary>Writes <paramref name="count"/> events to home/spool; returns their event ids in spool order.</summary>
    public static IReadOnlyList<string> Write(string home, int count, int first = 0)
    {
        var spool = Path.Combine(home, "spool");
        Directory.CreateDirectory(spool);
        var ids = new List<string>(count);
        var start = DateTime.UtcNow.AddMinutes(-10);
        for (var i = first; i < first + count; i++)
        {
            var id = EventId(i);
            var node = JsonNode.Parse(s_template)!;
            node["event_id"] = id;
            node["message_id"] = $"msg_test{i:D8}";
            var path = Path.Combine(spool, id + ".json");
            File.WriteAllText(path, node.ToJsonString());
            File.SetLastWriteTimeUtc(path, start.AddMilliseconds(i));
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>One event as a ledger line: the template under event id <paramref name="i"/>, with these input tokens and occurrence time.</summary>
    public static string LedgerLine(int i, long inputTokens, DateTimeOffset occurredAt)
    {
        var node = JsonNode.Parse(s_template)!;
        node["event_id"] = EventId(i);
        node["message_id"] = $"msg_test{i:D8}";
        node["tokens"]!["input"] = inputTokens;
        node["occurred_at"] = occurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return node.ToJsonString();
    }

    public static string EventId(int i) => i.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="lines"/> as the ledger file of <paramref name="month"/> ("2026-11"), replacing it; returns its path.</summary>
    public static string WriteLedger(StatePaths paths, string month, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(paths.Ledger);
        var file = Path.Combine(paths.Ledger, month + ".jsonl");
        File.WriteAllText(file, string.Join('\n', lines) + "\n", new System.Text.UTF8Encoding(false));
        return file;
    }
}
