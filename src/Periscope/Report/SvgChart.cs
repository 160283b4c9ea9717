using System.Globalization;
using System.Net;
using System.Text;

namespace Periscope.Report;

/// <summary>
/// Charts as inline SVG, drawn from their numbers by this binary: no script, no library, nothing
/// fetched. Every bar carries its series, its category and its value (data-* attributes and a
/// title), and scales with its viewBox. Colours come from the page's CSS classes s0..s7, so the
/// light and dark themes both apply.
/// </summary>
internal static class SvgChart
{
    public const int Width = 800;
    public const int Height = 260;
    public const int Left = 72;
    public const int Bottom = 28;
    public const int Top = 10;
    public const int PlotHeight = Height - Top - Bottom;

    /// <summary>Vertical bars, one per category, stacked by series.</summary>
    public static string StackedBars(string label, IReadOnlyList<string> categories, IReadOnlyList<string> series, Func<int, int, decimal> value, Func<decimal, string> format, Func<decimal, string> tick, Func<string, string> shortLabel)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(shortLabel);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(format);
        var totals = categories.Select((_, c) => Enumerable.Range(0, series.Count).Sum(s => value(c, s))).ToList();
        var max = Nice(totals.DefaultIfEmpty(0m).Max());
        var svg = Open(label, Width, Height);
        Axis(svg, max, tick);
        var slot = (Width - Left) / (double)Math.Max(1, categories.Count);
        var barWidth = Math.Max(1, slot * 0.7);
        for (var c = 0; c < categories.Count; c++)
        {
            var x = Left + (c * slot) + ((slot - barWidth) / 2);
            var y = (double)(Top + PlotHeight);
            for (var s = 0; s < series.Count; s++)
            {
                var v = value(c, s);
                if (v <= 0)
                {
                    continue;
                }

                var h = (double)(v / max) * PlotHeight;
                y -= h;
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"s{s % 8}\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(barWidth)}\" height=\"{F(h)}\" data-series=\"{E(series[s])}\" data-category=\"{E(categories[c])}\" data-value=\"{v.ToString(CultureInfo.InvariantCulture)}\"><title>{E(categories[c])}, {E(series[s])}: {E(format(v))}</title></rect>");
            }

            // A few labels along the axis, so they never overlap.
            if (c % Math.Max(1, (int)Math.Ceiling(categories.Count / 8.0)) == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{F(x + (barWidth / 2))}\" y=\"{Height - 8}\" text-anchor=\"middle\">{E(shortLabel(categories[c]))}</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Horizontal bars, one per item in the order given, as HTML rather than SVG so the names wrap
    /// and stay readable on a phone; the bar's width is its share of the largest value.
    /// </summary>
    public static string Bars(string label, IReadOnlyList<(string Name, decimal Value)> items, Func<decimal, string> format)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(format);
        var max = items.Select(i => i.Value).DefaultIfEmpty(0m).Max();
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<div class=\"hbars\" role=\"img\" aria-label=\"{E(label)}\">");
        for (var i = 0; i < items.Count; i++)
        {
            var (name, value) = items[i];
            var share = max <= 0 ? 0 : value / max * 100;
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"hbar\" data-series=\"{E(name)}\" data-value=\"{value.ToString(CultureInfo.InvariantCulture)}\" data-width=\"{share.ToString("0.##", CultureInfo.InvariantCulture)}\" title=\"{E(name)}: {E(format(value))}\"><span class=\"name\">{E(name)}</span><span class=\"track\"><span class=\"fill k{i % 8}\" style=\"width: {share.ToString("0.##", CultureInfo.InvariantCulture)}%\"></span></span><span class=\"num\">{E(format(value))}</span></div>");
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>The axis maximum: the largest total rounded up to 1, 2 or 5 times a power of ten.</summary>
    public static decimal Nice(decimal max)
    {
        if (max <= 0)
        {
            return 1m;
        }

        var power = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)max)));
        foreach (var step in new[] { 1m, 2m, 5m, 10m })
        {
            if (step * power >= max)
            {
                return step * power;
            }
        }

        return 10m * power;
    }

    private static StringBuilder Open(string label, int width, int height)
        => new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(label)}\" preserveAspectRatio=\"xMinYMin meet\"><title>{E(label)}</title>");

    private static void Axis(StringBuilder svg, decimal max, Func<decimal, string> format)
    {
        for (var i = 0; i <= 4; i++)
        {
            var y = Top + PlotHeight - (PlotHeight * i / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width}\" y1=\"{F(y)}\" y2=\"{F(y)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{E(format(max * i / 4))}</text>");
        }
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
