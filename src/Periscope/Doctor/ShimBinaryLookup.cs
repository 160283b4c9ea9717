using Periscope.Config;
using Periscope.Platform;

namespace Periscope.Doctor;

/// <summary>
/// Where the OpenCode plugin looks for the executable (src/opencode-plugin/lib/binary.js), looked
/// at from outside OpenCode: PERISCOPE_BIN, then the platform package in the node_modules OpenCode
/// installs the plugin into (1.18: ~/.cache/opencode/packages/@periscope/opencode-analytics[@VERSION]/;
/// 2.x: ~/.cache/opencode/npm/@periscope/opencode-analytics@VERSION/TIME/) or that sits beside a
/// config directory, then PATH.
/// </summary>
internal static class ShimBinaryLookup
{
    /// <summary>The executable and how it was found, or null with where it looked.</summary>
    public static (string? Path, string How) Find(Func<string, string?> getVariable, IEnumerable<string> configDirectories)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var file = HostOS.ExecutableName("periscope");
        var looked = new List<string>();
        if (getVariable("PERISCOPE_BIN") is { Length: > 0 } configured)
        {
            if (File.Exists(configured))
            {
                return (configured, "PERISCOPE_BIN");
            }

            looked.Add($"PERISCOPE_BIN={configured} (no such file)");
        }

        var cache = UserDirectories.Xdg(getVariable, "XDG_CACHE_HOME", ".cache");

        var roots = InstalledByOpenCode(Path.Combine(cache, "opencode"));
        roots.Add(Path.Combine(cache, "opencode"));
        roots.AddRange(configDirectories);
        var package = PlatformPackage();
        foreach (var root in roots.Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.Combine(root, "node_modules", "@periscope", package, "bin", file);
            if (File.Exists(candidate))
            {
                return (candidate, $"@periscope/{package}");
            }

            looked.Add(Path.Combine(root, "node_modules"));
        }

        if (UserDirectories.FindOnPath(file, getVariable) is { } onPath)
        {
            return (onPath, "PATH");
        }

        looked.Add("PATH");
        return (null, string.Join("; ", looked));
    }

    // Where OpenCode's installer puts a plugin named by npm: 1.18 into
    // packages/<name>/ or packages/<name>@<version>/, 2.x into npm/<name>@<version>/<install time>/
    // (one per install; the latest first).
    private static List<string> InstalledByOpenCode(string cache)
    {
        var roots = new List<string>();
        var packages = Path.Combine(cache, "packages", "@periscope");
        if (Directory.Exists(packages))
        {
            roots.AddRange(Directory.GetDirectories(packages, "opencode-analytics*")
                .Where(d => Path.GetFileName(d) is "opencode-analytics" || Path.GetFileName(d).StartsWith("opencode-analytics@", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        }

        var npm = Path.Combine(cache, "npm", "@periscope");
        if (Directory.Exists(npm))
        {
            foreach (var version in Directory.GetDirectories(npm, "opencode-analytics@*").Order(StringComparer.Ordinal))
            {
                roots.AddRange(Directory.GetDirectories(version).OrderByDescending(d => Path.GetFileName(d).Length).ThenByDescending(d => Path.GetFileName(d), StringComparer.Ordinal));
            }
        }

        return roots;
    }

    // The package this build ships in, named as packaging/render.mjs names it from the runtime
    // identifier: linux-x64, linux-x64-musl, darwin-arm64, windows-x64, ...
    private static string PlatformPackage()
    {
        var rid = ClientInfo.RuntimeIdentifier;
        var dash = rid.IndexOf('-', StringComparison.Ordinal);
        var (os, rest) = (rid[..dash], rid[(dash + 1)..]);
        return "opencode-analytics-" + os switch
        {
            "osx" => $"darwin-{rest}",
            "win" => $"windows-{rest}",
            _ when rest.StartsWith("musl-", StringComparison.Ordinal) => $"{os}-{rest["musl-".Length..]}-musl",
            _ => $"{os}-{rest}",
        };
    }

    /// <summary>The config directories whose node_modules may hold the plugin: OpenCode's global one and each listing file's own.</summary>
    public static IEnumerable<string> ConfigDirectories(Func<string, string?> getVariable, IEnumerable<string> configFiles)
        => configFiles.Select(f => Path.GetDirectoryName(f)!).Prepend(PeriscopeSettings.OpenCodeDirectory(getVariable));
}
