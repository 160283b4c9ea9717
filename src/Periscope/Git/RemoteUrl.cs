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

        // scp-like ssh: [user[:password]@]host:path, with no slash before the host's colon.
        var firstSlash = url.IndexOf('/', StringComparison.Ordinal);
        var atSign = url.IndexOf('@', StringComparison.Ordinal);
        var userEnd = atSign >= 0 && (firstSlash < 0 || atSign < firstSlash) ? atSign : -1;
        var hostColon = url.IndexOf(':', userEnd + 1);
        if (hostColon > userEnd + 1 && (firstSlash < 0 || hostColon < firstSlash) && !IsDrive(url, hostColon))
        {
            var user = userEnd > 0 ? url[..userEnd].Split(':')[0] : string.Empty;
            var host = url[(userEnd + 1)..hostColon];
            return $"{(user.Length == 0 ? string.Empty : user + "@")}{host}:{url[(hostColon + 1)..]}";
        }

        // A local path (absolute, relative or Windows drive): only the repository's name.
        return RepositoryName(url);
    }

    // "C:\repo" is a Windows path, not host "C".
    private static bool IsDrive(string url, int colon) => colon == 1 && char.IsAsciiLetter(url[0]);

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
        if (name.EndsWith(".git", StringComparison.Ordinal))
        {
            name = name[..^4];
        }

        return name.Length == 0 ? null : name;
    }
}
