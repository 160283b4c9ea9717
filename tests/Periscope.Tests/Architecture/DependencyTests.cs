using System.Text.RegularExpressions;
using Periscope.Tests.Support;

namespace Periscope.Tests.Architecture;

/// <summary>
/// The folders of src/Periscope depend one way (docs/architecture.md): a folder uses only folders
/// on a lower layer, so no cycle and no upward reference can creep in unnoticed. And only the
/// Platform seam asks the operating system which one it is.
/// </summary>
public sealed partial class DependencyTests
{
    private static string Source => Path.Combine(PeriscopeBinary.RepoRoot, "src", "Periscope");

    private static string ArchitectureDoc => Path.Combine(PeriscopeBinary.RepoRoot, "docs", "architecture.md");

    [Fact]
    public void EveryFolder_HasALayer()
    {
        var unplaced = SourceFiles().Select(file => file.Folder).Distinct().Where(folder => !Layers.Rank.ContainsKey(folder)).ToList();
        Assert.True(unplaced.Count == 0, $"folders with no layer: {string.Join(", ", unplaced)}; add them to {nameof(Layers)} and docs/architecture.md");
    }

    [Fact]
    public void Folders_DependOnlyOnLowerLayers()
    {
        var wrong = (from file in SourceFiles()
                     from used in file.Uses
                     where Layers.Rank.ContainsKey(file.Folder) && Layers.Rank.ContainsKey(used)
                     where Layers.Rank[used] >= Layers.Rank[file.Folder]
                     select $"{file.RelativePath} uses Periscope.{used} ({file.Folder} is layer {Layers.Rank[file.Folder]}, {used} is layer {Layers.Rank[used]})").ToList();
        Assert.True(wrong.Count == 0, "references that point sideways or up:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void OnlyHostOS_AsksWhichOperatingSystemThisIs()
    {
        var askers = SourceFiles()
            .Where(file => file.RelativePath != "Platform/HostOS.cs" && OSQuestion().IsMatch(file.Code))
            .Select(file => file.RelativePath)
            .ToList();
        Assert.True(askers.Count == 0, "ask Platform/HostOS instead of the operating system in: " + string.Join(", ", askers));
    }

    [Fact]
    public void ArchitectureDoc_ShowsTheGraphOfTheCode()
    {
        var graph = Graph();
        var doc = File.ReadAllText(ArchitectureDoc).ReplaceLineEndings("\n");
        var begin = doc.IndexOf(GraphBegin, StringComparison.Ordinal);
        var end = doc.IndexOf(GraphEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/architecture.md lacks the {GraphBegin} … {GraphEnd} markers");
        var current = doc[(begin + GraphBegin.Length)..end];
        if (current != graph && Environment.GetEnvironmentVariable("PERISCOPE_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(ArchitectureDoc, doc[..(begin + GraphBegin.Length)] + graph + doc[end..]);
            return;
        }

        Assert.True(current == graph, "docs/architecture.md's graph is not the code's; run the tests with PERISCOPE_UPDATE_DOCS=1 to write it:\n" + graph);
    }

    [Fact]
    public void TheCheck_SeesAReferenceUp()
    {
        // The scanner itself: a using, a static using and a qualified name all count.
        Assert.Equal(["Commands"], Uses("using Periscope.Commands;\nnamespace Periscope.Doctor;"));
        Assert.Equal(["Delivery"], Uses("using static Periscope.Delivery.Courier;"));
        Assert.Equal(["Auth"], Uses("namespace Periscope.Git;\nvar x = new Periscope.Auth.TokenStore();"));
        Assert.Equal(["Capture"], Uses("namespace Periscope.Git;\nvar id = Capture.EventIds.For(\"x\");"));
        Assert.Empty(Uses("namespace Periscope.Git;\n// Periscope.Auth.TokenStore in a comment\nvar s = \"Periscope.Auth.X\";"));
    }

    private const string GraphBegin = "<!-- dependency-graph:begin (written by DependencyTests) -->";
    private const string GraphEnd = "<!-- dependency-graph:end -->";

    private static string Graph()
    {
        var edges = SourceFiles()
            .SelectMany(file => file.Uses.Select(used => (From: file.Folder, To: used)))
            .GroupBy(edge => edge)
            .OrderBy(group => -Layers.Rank.GetValueOrDefault(group.Key.From)).ThenBy(group => group.Key.From, StringComparer.Ordinal)
            .ThenBy(group => Layers.Rank.GetValueOrDefault(group.Key.To)).ThenBy(group => group.Key.To, StringComparer.Ordinal)
            .Select(group => $"  {group.Key.From} -->|{group.Count()}| {group.Key.To}");
        var layers = Layers.Rank.GroupBy(pair => pair.Value).OrderByDescending(group => group.Key)
            .Select(group => $"| {group.Key} | {string.Join(", ", group.Select(pair => pair.Key).Order(StringComparer.Ordinal))} |");
        return "\n\n| layer | folders |\n|---|---|\n" + string.Join('\n', layers)
            + "\n\n```mermaid\nflowchart TD\n" + string.Join('\n', edges) + "\n```\n\n"
            + "An arrow A -->|n| B: n files in A use B.\n\n";
    }

    private static IEnumerable<SourceFile> SourceFiles()
        => Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Source, path).Replace('\\', '/'))
            .Where(relative => !relative.StartsWith("obj/", StringComparison.Ordinal) && !relative.StartsWith("bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(relative =>
            {
                var code = File.ReadAllText(Path.Combine(Source, relative));
                var folder = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.IndexOf('/', StringComparison.Ordinal)] : "Program";
                return new SourceFile(relative, folder, WithoutCommentsAndStrings(code), Uses(code).Where(used => used != folder).ToList());
            });

    // Periscope.X anywhere, and X.Type where X is a folder: inside namespace Periscope.Y, C# resolves
    // Capture.EventIds to Periscope.Capture.EventIds.
    private static List<string> Uses(string code)
    {
        var text = WithoutCommentsAndStrings(NamespaceLine().Replace(code, string.Empty));
        return PeriscopeReference().Matches(text).Select(match => match.Groups["folder"].Value)
            .Concat(RelativeReference().Matches(text).Select(match => match.Groups["folder"].Value).Where(Layers.Rank.ContainsKey))
            .Distinct()
            .ToList();
    }

    private static string WithoutCommentsAndStrings(string code) => CommentOrString().Replace(code, string.Empty);

    private sealed record SourceFile(string RelativePath, string Folder, string Code, List<string> Uses);

    [GeneratedRegex(@"\bPeriscope\.(?<folder>[A-Z][A-Za-z]*)\b")]
    private static partial Regex PeriscopeReference();

    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z][A-Za-z]*)\.[A-Z]\w*")]
    private static partial Regex RelativeReference();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+\s*[;{]?", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:\\.|[^""\\\n])*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"\bOperatingSystem\.Is[A-Z]|\bIsOSPlatform\b")]
    private static partial Regex OSQuestion();
}
