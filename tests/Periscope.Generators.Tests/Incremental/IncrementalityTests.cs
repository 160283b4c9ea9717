using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Periscope.Generators.Tests.Incremental;

public sealed class IncrementalityTests
{
    [Fact]
    public void RunningAgainUnchanged_LeavesEveryStepCached_AndDoesNotReEmit()
    {
        var compilation = GeneratorHarness.Compilation("namespace Host; public static class Anchor { }");
        var driver = GeneratorHarness.Driver(GeneratorHarness.RealDefinition()).RunGenerators(compilation, TestContext.Current.CancellationToken);

        var second = driver.RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.DefinitionFiles, TrackingNames.ParsedFiles, TrackingNames.Definition, TrackingNames.FileOutputs })
        {
            Assert.True(second.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            Assert.All(
                second.TrackedSteps[step].SelectMany(s => s.Outputs),
                output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step} ran again: {output.Reason}"));
        }

        Assert.All(
            second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void EditingOneDefinitionFile_ReparsesThatFileOnly_TheOthersStayCached()
    {
        var (definition, second) = RunAfterEditingSessionTitle();

        var parsed = second.TrackedSteps[TrackingNames.ParsedFiles].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(definition.Length, parsed.Count);
        Assert.Single(parsed, r => r == IncrementalStepRunReason.Modified);
        Assert.Equal(definition.Length - 1, parsed.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void EditingOneDefinitionFile_ReEmitsThatFilesTypesOnly_TheOtherFilesOutputsStayCached()
    {
        var (definition, second) = RunAfterEditingSessionTitle();

        // One value per file that declares types: the edited file's changed, every other file's did not.
        var files = second.TrackedSteps[TrackingNames.FileOutputs].SelectMany(s => s.Outputs).ToList();
        var declaring = definition.Length; // each file declares types (envelope.events.json: the client object)
        Assert.Equal(declaring, files.Count);
        var modified = Assert.Single(files, o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.EndsWith("session.events.json", ((Periscope.Generators.Model.DefinitionFileOutputs)modified.Value).Path, StringComparison.Ordinal);
        Assert.All(files.Where(o => o != modified), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));

        // And so the source outputs: the other files' records are not written again.
        var outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Equal(declaring - 1, outputs.Count(o => o.Reason == IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void EditingTheDefinition_ReEmits()
    {
        var (_, second) = RunAfterEditingSessionTitle();

        Assert.Contains(
            second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("The title.", second.GeneratedSources.Single(s => s.HintName.Contains("SessionEvent", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PipelineModels_HoldNoSymbolsSyntaxOrCompilations()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.RealDefinition()).Result;

        foreach (var step in new[] { TrackingNames.ParsedFiles, TrackingNames.Definition })
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(output.Value, step, []);
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, path + "[]", seen);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                AssertNoRoslynObjects(property.GetValue(value), path + "." + property.Name, seen);
            }
        }
    }

    // Runs the generator over the real definition, edits session.events.json's title text, runs again.
    private static ((string Path, string Text)[] Definition, GeneratorRunResult Second) RunAfterEditingSessionTitle()
    {
        var compilation = GeneratorHarness.Compilation("namespace Host; public static class Anchor { }");
        var definition = GeneratorHarness.RealDefinition();
        var driver = GeneratorHarness.Driver(definition).RunGenerators(compilation, TestContext.Current.CancellationToken);
        driver = Edit(driver, definition, "session.events.json", "Session title as OpenCode shows it.", "The title.");
        return (definition, driver.RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single());
    }

    // Replaces one definition file's text the way an IDE edit does.
    private static GeneratorDriver Edit(GeneratorDriver driver, (string Path, string Text)[] definition, string file, string from, string to)
    {
        var original = definition.Single(d => d.Path.EndsWith(file, StringComparison.Ordinal));
        Assert.Contains(from, original.Text, StringComparison.Ordinal);
        var current = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.DefinitionFiles]
            .Select(s => (AdditionalText)s.Outputs.Single().Value)
            .Single(t => t.Path == original.Path);
        return driver.ReplaceAdditionalText(current, new EditedText(original.Path, original.Text.Replace(from, to, StringComparison.Ordinal)));
    }

    private sealed class EditedText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default)
            => Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }
}
