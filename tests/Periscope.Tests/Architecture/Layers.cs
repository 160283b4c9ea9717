namespace Periscope.Tests.Architecture;

/// <summary>
/// The layers of src/Periscope, lowest first: a folder may use folders on lower layers only.
/// docs/architecture.md says what each holds.
/// </summary>
internal static class Layers
{
    public static readonly IReadOnlyDictionary<string, int> Rank = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Events"] = 0,      // the data contract, generated from the definition files
        ["Platform"] = 1,    // the seam to the operating system
        ["Config"] = 2,      // analytics.json, the variables, the targets they name
        ["Diagnostics"] = 2, // periscope.log
        ["Spool"] = 3,       // the spool, the ledger, the drain lock, the worker's start
        ["Git"] = 3,         // repository facts and commit detection
        ["Capture"] = 4,     // the hook: payload in, event out
        ["Auth"] = 4,        // sign-in and tokens
        ["Setup"] = 4,       // OpenCode's config and analytics.json, edited
        ["Delivery"] = 5,    // the courier, its sinks and state, the worker loop, login's check
        ["Stats"] = 5,       // the ledger, reported
        ["Doctor"] = 6,      // checks across every feature
        ["Report"] = 6,      // the dashboard page, from the ledger and the spool
        ["Import"] = 6,      // OpenCode's own records of the past, turned into events
        ["Commands"] = 7,    // parse, call, print
        ["Program"] = 8,     // Main
    };
}
