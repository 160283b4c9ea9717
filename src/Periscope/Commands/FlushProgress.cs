using System.Diagnostics;
using Periscope.Delivery;

namespace Periscope.Commands;

/// <summary>
/// flush's and import's progress: a bar redrawn in place on a terminal (events, bytes, rate), plain
/// lines ("flushing: ...") at most once a second otherwise. Reported synchronously, in order.
/// </summary>
internal sealed class FlushProgress(TextWriter output, bool terminal, int totalEvents, string label = "flushing") : IProgress<DrainProgress>
{
    private const int BarWidth = 24;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastLine;
    private bool _drawn;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Report(DrainProgress value)
    {
        if (terminal)
        {
            var done = totalEvents == 0 ? BarWidth : Math.Min(BarWidth, value.Events * BarWidth / totalEvents);
            output.Write($"\r[{new string('#', done)}{new string('-', BarWidth - done)}] {Line(value)}   ");
            _drawn = true;
        }
        else if (_lastLine is not { } last || _clock.Elapsed - last >= TimeSpan.FromSeconds(1))
        {
            output.WriteLine($"{label}: {Line(value)}");
            _lastLine = _clock.Elapsed;
        }
    }

    /// <summary>Ends the bar's line, so what follows starts on its own.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            output.WriteLine();
        }
    }

    /// <summary>"1500/10000 events, 1.2 MiB, 4800 events/s"</summary>
    public string Line(DrainProgress value)
        => $"{value.Events}/{totalEvents} events, {Size(value.Bytes)}, {Rate(value.Events)} events/s";

    private string Rate(int events) => _clock.Elapsed.TotalSeconds > 0 ? (events / _clock.Elapsed.TotalSeconds).ToString("0") : "0";

    private static string Size(long bytes)
        => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.0} MiB" : $"{bytes / 1024.0:0.0} KiB";
}
