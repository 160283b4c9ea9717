using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Periscope.Generators.Tests;

/// <summary>Runs the generator in memory over definition texts, the way the compiler does.</summary>
internal static class GeneratorHarness
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    /// <summary>The repository root (holds Periscope.Native.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static CSharpCompilation Compilation(params string[] sources)
        => CSharpCompilation.Create(
            "GeneratorTest",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, s_parseOptions)),
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(params (string Path, string Text)[] definitions)
        => CSharpGeneratorDriver.Create(
            [new EventsGenerator().AsSourceGenerator()],
            definitions.Select(d => (AdditionalText)new InMemoryAdditionalText(d.Path, d.Text)),
            s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns the result and the compilation with its output.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(params (string Path, string Text)[] definitions)
    {
        var driver = Driver(definitions).RunGeneratorsAndUpdateCompilation(Compilation("namespace Host; public static class Anchor { }"), out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>The real definition files, as the CLI compiles them.</summary>
    public static (string Path, string Text)[] RealDefinition()
        => Directory.GetFiles(Path.Combine(RepoRoot, "src", "Periscope", "Events"), "*.events.json")
            .Order(StringComparer.Ordinal)
            .Select(p => (p, File.ReadAllText(p)))
            .ToArray();

    /// <summary>A definition from tests/…/Definitions.</summary>
    public static (string Path, string Text) Definition(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Definitions", name);
        return ("/defs/" + name, File.ReadAllText(path));
    }

    private static ImmutableArray<MetadataReference> References()
        => [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))];

    private static string FindRepoRoot([CallerFilePath] string here = "")
    {
        for (var dir = Path.GetDirectoryName(here); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Periscope.Native.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Periscope.Native.sln not found above " + here);
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
