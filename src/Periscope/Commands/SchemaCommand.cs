using System.Text;
using Periscope.Events;

namespace Periscope.Commands;

/// <summary>
/// periscope schema [--otel]: the generated JSON Schema of the wire format, or with --otel the
/// OpenTelemetry mapping of every field (generated from the same definition).
/// </summary>
internal static class SchemaCommand
{
    /// <summary>The semantic conventions the mapping follows.</summary>
    public const string Conventions = "OpenTelemetry semantic conventions 1.41.0 (service, os, host, vcs, error) and the GenAI conventions v0.1.0 (gen_ai.*)";

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.IsEmpty)
        {
            Console.Out.WriteLine(EventJson.Schema);
            return CommandLine.Ok;
        }

        if (args.Length == 1 && args[0] == "--otel")
        {
            Console.Out.Write(OtelTable());
            return CommandLine.Ok;
        }

        return args[0] == "--otel" ? CommandLine.Fail($"'schema --otel' takes no more arguments, got '{args[1]}'") : CommandLine.UnknownOption(args[0], "schema");
    }

    private static string OtelTable()
    {
        var rows = EventOtel.Attributes;
        var kind = Math.Max(4, rows.Max(r => r.Kind.Length)) + 2;
        var field = Math.Max(5, rows.Max(r => r.Field.Length)) + 2;
        var name = Math.Max(9, rows.Max(r => r.Name.Length)) + 2;
        var text = new StringBuilder();
        text.Append("OpenTelemetry mapping, following ").Append(Conventions).Append(".\n");
        text.Append("One log record per event: event name periscope.<kind>, time occurred_at; resource attributes from client.\n\n");
        text.Append("kind".PadRight(kind)).Append("field".PadRight(field)).Append("attribute".PadRight(name)).Append("type\n");
        foreach (var row in rows)
        {
            text.Append(row.Kind.PadRight(kind)).Append(row.Field.PadRight(field)).Append(row.Name.PadRight(name)).Append(row.Type);
            if (row.Resource)
            {
                text.Append(" (resource)");
            }

            if (row.Sum is not null)
            {
                text.Append(" = ").Append(row.Sum);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
