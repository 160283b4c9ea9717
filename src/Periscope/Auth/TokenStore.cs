using System.Text;
using System.Text.Json;
using Microsoft.Identity.Client;
using Periscope.Platform;

namespace Periscope.Auth;

/// <summary>
/// Where a sign-in lives: MSAL's token cache (the tokens) in the desktop keyring when there is one
/// (<see cref="SecretServiceKeyring"/>), else in periscope-tokens.json; the <see cref="SignInRecord"/>
/// (who, where; no secret) in periscope-signin.json. Files are 0600 beside analytics.json, written
/// through a temporary file and a rename, so a reader never sees half. A token file left from
/// before a keyring was available moves into it on first use; when the keyring fails, the file
/// is used, so nothing is lost.
/// </summary>
internal sealed class TokenStore(string directory, SecretServiceKeyring? keyring = null)
{
    /// <summary>Where the tokens are kept, in words for status and doctor.</summary>
    public string Location => keyring is null || File.Exists(CachePath) ? CachePath : SecretServiceKeyring.Description;

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

    /// <summary>Keeps MSAL's cache for this client in the keyring or the file.</summary>
    public void Bind(ITokenCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.SetBeforeAccess(args =>
        {
            try
            {
                args.TokenCache.DeserializeMsalV3(ReadCache(), shouldClearExistingCache: true);
            }
            catch (MsalClientException)
            {
                // A damaged token file: as good as signed out; the next login writes a new one.
                args.TokenCache.DeserializeMsalV3(null, shouldClearExistingCache: true);
            }
        });
        cache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                WriteCache(args.TokenCache.SerializeMsalV3());
            }
        });
    }

    /// <summary>Removes the sign-in; true when there was one.</summary>
    public bool Clear()
    {
        var had = File.Exists(CachePath) || File.Exists(RecordPath);
        if (keyring is not null)
        {
            try
            {
                had |= keyring.Clear();
            }
            catch (KeyringException)
            {
                // the files go regardless; a secret the keyring would not remove stays there (logout does not say so yet)
            }
        }

        if (Directory.Exists(directory))
        {
            File.Delete(CachePath);
            File.Delete(RecordPath);
        }

        return had;
    }

    private byte[]? ReadCache()
    {
        if (keyring is not null)
        {
            try
            {
                if (keyring.Lookup() is { } kept)
                {
                    return Encoding.UTF8.GetBytes(kept);
                }

                if (!File.Exists(CachePath))
                {
                    return null;
                }

                var file = File.ReadAllBytes(CachePath); // a sign-in from before the keyring: move it in
                keyring.Store(Encoding.UTF8.GetString(file));
                File.Delete(CachePath);
                return file;
            }
            catch (KeyringException)
            {
                // the keyring refuses: the file is where the sign-in is, if anywhere
            }
        }

        return File.Exists(CachePath) ? File.ReadAllBytes(CachePath) : null;
    }

    private void WriteCache(byte[] bytes)
    {
        if (keyring is not null)
        {
            try
            {
                keyring.Store(Encoding.UTF8.GetString(bytes));
                File.Delete(CachePath);
                return;
            }
            catch (KeyringException)
            {
                // keep the sign-in in the file rather than lose it; Location then names the file
            }
        }

        PrivateFiles.CreateDirectory(directory);
        PrivateFiles.WriteAtomically(CachePath, stream => stream.Write(bytes));
    }
}
