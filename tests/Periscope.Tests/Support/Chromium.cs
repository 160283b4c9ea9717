using PuppeteerSharp;

namespace Periscope.Tests.Support;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c>, which ./build.sh test installs), headless,
/// through PuppeteerSharp pointed at that executable: no browser is downloaded. PERISCOPE_CHROMIUM
/// names another executable.
/// </summary>
internal static class Chromium
{
    public static async Task<IBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("PERISCOPE_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : new[] { "chromium", "chromium-browser", "google-chrome" }
                .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
                .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("no chromium on PATH: ./build.sh test installs Debian's chromium (or set PERISCOPE_CHROMIUM)");
        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
        });
    }

    /// <summary>Opens <paramref name="file"/> at this width, recording console errors, page errors and every request.</summary>
    public static async Task<(IPage Page, List<string> Errors, List<string> Requests)> OpenAsync(IBrowser browser, string file, int width)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add(e.Message.Text);
            }
        };
        page.PageError += (_, e) => errors.Add(e.Message);
        page.Request += (_, e) => requests.Add(e.Request.Url);
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = 900 });
        await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
        return (page, errors, requests);
    }
}
