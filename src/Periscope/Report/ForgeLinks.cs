namespace Periscope.Report;

/// <summary>
/// A commit's page on a known forge (GitHub, GitLab, Bitbucket, Azure DevOps) from the repository
/// URL an event carries (captured without credentials; any user info left is dropped here too).
/// Null for any other host, so nothing links where the page's form is not known.
/// </summary>
internal static class ForgeLinks
{
    public static Uri? Commit(string? repository, string sha)
    {
        if (repository is null || !IsSha(sha) || Parse(repository) is not { } remote)
        {
            return null;
        }

        var (host, path) = remote;
        var url = host switch
        {
            "github.com" => $"https://github.com/{path}/commit/{sha}",
            "gitlab.com" => $"https://gitlab.com/{path}/-/commit/{sha}",
            "bitbucket.org" => $"https://bitbucket.org/{path}/commits/{sha}",
            "dev.azure.com" when path.Split('/') is [var org, var project, "_git", var repo] => $"https://dev.azure.com/{org}/{project}/_git/{repo}/commit/{sha}",
            "ssh.dev.azure.com" when path.Split('/') is ["v3", var org, var project, var repo] => $"https://dev.azure.com/{org}/{project}/_git/{repo}/commit/{sha}",
            _ => null,
        };
        return url is null ? null : new Uri(url);
    }

    // https://host/owner/repo(.git), ssh://git@host/owner/repo, git@host:owner/repo(.git) -> (host, owner/repo).
    private static (string Host, string Path)? Parse(string repository)
    {
        string host, path;
        if (Uri.TryCreate(repository, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git")
        {
            host = uri.Host;
            path = uri.AbsolutePath;
        }
        else if (repository.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && !repository.Contains("://", StringComparison.Ordinal))
        {
            var authority = repository[..colon];
            host = authority[(authority.LastIndexOf('@') + 1)..];
            path = repository[(colon + 1)..];
        }
        else
        {
            return null;
        }

        path = Uri.UnescapeDataString(path).Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        var safe = path.Length > 0 && path.Split('/').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or ' '));
        return safe ? (host.ToLowerInvariant(), path.Replace(" ", "%20", StringComparison.Ordinal)) : null;
    }

    private static bool IsSha(string sha) => sha.Length is >= 7 and <= 64 && sha.All(char.IsAsciiHexDigit);
}
