using System.Text.Json.Nodes;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>
/// What <c>periscope stats --by session</c> shows for each OpenCode 2 session against what OpenCode
/// itself recorded in <c>session_v2</c>: the cost, title request included, and the five token counts.
/// </summary>
internal static class SessionCosts
{
    public static void AssertStatsMatch(string database, IReadOnlyDictionary<string, string?> periscope)
    {
        var stats = PeriscopeBinary.Run(periscope, null, "stats", "--by", "session", "--json");
        Assert.True(stats.ExitCode == 0, stats.Stdout + stats.Stderr);
        var rows = JsonNode.Parse(stats.Stdout)!["rows"]!.AsArray();
        var sessions = TestSqlite.Query(database, "SELECT id, cost, tokens_input, tokens_output, tokens_reasoning, tokens_cache_read, tokens_cache_write FROM session_v2");
        Assert.NotEmpty(sessions);
        // The title request has no step: what OpenCode recorded beyond the steps must be there to find.
        var beyondSteps = TestSqlite.Query(
            database,
            "SELECT s.id FROM session_v2 s WHERE s.tokens_input > (SELECT COALESCE(SUM(json_extract(m.data, '$.tokens.input')), 0) FROM session_message m WHERE m.session_id = s.id AND m.type = 'assistant')");
        Assert.NotEmpty(beyondSteps);
        foreach (var session in sessions)
        {
            var row = Assert.Single(rows, r => r!["key"]!.GetValue<string>() == session[0])!;
            var recorded = decimal.Parse(session[1]!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(recorded - row["cost_usd"]!.GetValue<decimal>()) < 0.000000001m, $"session {session[0]}: OpenCode recorded {recorded}, stats shows {row["cost_usd"]}");
            string[] columns = ["input_tokens", "output_tokens", "reasoning_tokens", "cache_read_tokens", "cache_write_tokens"];
            for (var i = 0; i < columns.Length; i++)
            {
                Assert.Equal(long.Parse(session[2 + i]!, System.Globalization.CultureInfo.InvariantCulture), row[columns[i]]!.GetValue<long>());
            }
        }
    }
}
