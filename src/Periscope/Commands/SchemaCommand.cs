using Periscope.Events;

namespace Periscope.Commands;

/// <summary>periscope schema: the generated JSON Schema of the wire format.</summary>
internal static class SchemaCommand
{
    public static void Run() => Console.Out.WriteLine(EventJson.Schema);
}
