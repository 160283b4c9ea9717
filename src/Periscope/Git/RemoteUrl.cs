namespace Periscope.Git;

/// <summary>
/// Makes a remote URL safe to send: credentials removed from URL forms, scp-like ssh forms kept,
/// and local paths (which would reveal directory names) reduced to the repository's name.
/// </summary>
internal static class RemoteUrl
{
    public static string? Sanitize(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var name = url[..scheme].ToLowerInvariant();
            if (name == "file")
            {
                return RepositoryName(url[(scheme + 3)..]);
            }

            var rest = url[(scheme + 3)..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var authority = slash < 0 ? rest : rest[..slash];
            var path = slash < 0 ? string.Empty : rest[slash..];
            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                var user = authority[..at];
                var host = authority[(at + 1)..];

                // ssh keeps the user (git@) but never a password; http(s) and others keep neither.
                var colon = user.IndexOf(':', StringComparison.Ordinal);
                var keepUser = name is "ssh" or "git+ssh" or "ssh+git" && colon != 0;
                authority = keepUser ? $"{(colon > 0 ? user[..colon] : user)}@{host}" : host;
            }

            return $"{name}://{authority}{StripQuery(path)}";
        }

        // scp-like ssh: [user@]host:path, where host has no slash before the colon.
        var firstColon = url.IndexOf(':', StringComparison.Ordinal);
        var firstSlash = url.IndexOf('/', StringComparison.Ordinal);
        if (firstColon > 1 && (firstSlash < 0 || firstColon < firstSlash))
        {
            var userHost = url[..firstColon];
            var at = userHost.LastIndexOf('@');
            var user = at >= 0 ? userHost[..at] : null;
            var host = at >= 0 ? userHost[(at + 1)..] : userHost;
            var cleanUser = user?.Split(':')[0];
            return $"{(string.IsNullOrEmpty(cleanUser) ? string.Empty : cleanUser + "@")}{host}:{url[(firstColon + 1)..]}";
        }

        // A local path (absolute, relative or Windows drive): only the repository's name.
        return RepositoryName(url);
    }

    private static string StripQuery(string path)
    {
        var cut = path.IndexOfAny(['?', '#']);
        return cut < 0 ? path : path[..cut];
    }

    private static string? RepositoryName(string path)
    {
        var trimmed = path.TrimEnd('/', '\\');
        if (trimmed.EndsWith("/.git", StringComparison.Ordinal) || trimmed.EndsWith("\\.git", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^5];
        }

        var name = trimmed[(trimmed.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.Length == 0 ? null : name;
    }
}
