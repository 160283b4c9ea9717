using System.Text.Json;
using Microsoft.Identity.Client;
using Periscope.Platform;

namespace Periscope.Auth;

/// <summary>
/// Where a sign-in lives: MSAL's token cache in periscope-tokens.json and the <see cref="SignInRecord"/>
/// in periscope-signin.json, both 0600 beside analytics.json. (The OS keychain is the next step:
/// docs/sign-in.md.) Written through a temporary file and a rename, so a reader never sees half.
/// </summary>
internal sealed class TokenStore(string directory)
{
    public string CachePath => Path.Combine(directory, "periscope-tokens.json");

    public string RecordPath => Path.Combine(directory, "periscope-signin.json");

    public SignInRecord? LoadRecord()
    {
        try
        {
            return File.Exists(RecordPath) ? JsonSerializer.Deserialize(File.ReadAllBytes(RecordPath), AuthJsonContext.Default.SignInRecord) : null;
        }
        catch (JsonException)
        {
            return null; // unreadable: as good as signed out; login writes a new one
        }
    }

    public void SaveRecord(SignInRecord record)
    {
        PrivateFiles.CreateDirectory(directory);
        PrivateFiles.WriteAtomically(RecordPath, stream => JsonSerializer.Serialize(stream, record, AuthJsonContext.Default.SignInRecord));
    }

    /// <summary>Keeps MSAL's cache for this client in the file.</summary>
    public void Bind(ITokenCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.SetBeforeAccess(args => args.TokenCache.DeserializeMsalV3(File.Exists(CachePath) ? File.ReadAllBytes(CachePath) : null, shouldClearExistingCache: true));
        cache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                var bytes = args.TokenCache.SerializeMsalV3();
                PrivateFiles.CreateDirectory(directory);
                PrivateFiles.WriteAtomically(CachePath, stream => stream.Write(bytes));
            }
        });
    }

    /// <summary>Removes the sign-in; true when there was one.</summary>
    public bool Clear()
    {
        var had = File.Exists(CachePath) || File.Exists(RecordPath);
        File.Delete(CachePath);
        File.Delete(RecordPath);
        return had;
    }
}
