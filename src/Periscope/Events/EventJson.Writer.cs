using System.Text.Json;

namespace Periscope.Events;

#pragma warning disable CA1515 // the generated half declares it public
static partial class EventJson
{
    // Events are written with JSON's own escaping only (MinimalJsonEncoder): the writer's default
    // encoder builds its tables in a static constructor that cost the hook a third of its start.
    static partial void ConfigureWriter(ref JsonWriterOptions options) => options.Encoder = MinimalJsonEncoder.Instance;
}
#pragma warning restore CA1515
