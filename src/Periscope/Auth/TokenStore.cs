using System.Text;
using System.Text.Json;
using Microsoft.Identity.Client;
using Periscope.Platform;

namespace Periscope.Auth;

/// <summary>
/// Where a sign-in lives: MSAL's token cache (the tokens) in the OS keychain when there is one that
/// keeps secrets (<see cref="Keychain"/>), else in periscope-tokens.json; the <see cref="SignInRecord"/>
/// (who, where; no secret) in periscope-signin.json. Files are 0600 beside analytics.json, written
/// through a temporary file and a rename, so a reader never sees half.
/// <para>
/// Processes share the cache under one lock, periscope-tokens.lock in the same directory: held
/// around each access MSAL makes, and by <see cref="HoldAsync"/> around a whole acquisition, so a
/// refresh token one process has just rotated is never redeemed or overwritten by another.
/// </para>
/// <para>
/// The keychain is checked once per process (<see cref="Keychain.Verify"/>) before it is trusted;
/// when it refuses, the file is used, so nothing is lost. A file present beside a working keychain
/// is newer than what the keychain holds (the keychain refused when it was written, or it is from
/// before there was one), so it moves in on first use, as does a sign-in kept under the earlier
/// keyring schema (<see cref="EarlierKeyringEntry"/>).
/// </para>
/// </summary>
internal sealed class TokenStore(string directory, Keychain? keychain = null, EarlierKeyringEntry? earlier = null, TimeProvider? time = null)
{
    private static readonly TimeSpan s_lockLimit = TimeSpan.FromSeconds(60);

    private IDisposable? _held;
    private bool _heldByAccess;
    private bool _verified;
    private bool _refused; // the keychain refused once: this process keeps to the file

    /// <summary>Where the tokens are kept, in words for status.</summary>
    public string Location => keychain is null ? CachePath
        : File.Exists(CachePath) ? $"{CachePath}, not {keychain.Description}, which 'periscope doctor' checks"
        : keychain.Description;

    /// <summary>The keychain's description when there is one to use, else null.</summary>
    public string? Keychained => keychain?.Description;

    public string CachePath => Path.Combine(directory, "periscope-tokens.json");

    public string RecordPath => Path.Combine(directory, "periscope-signin.json");

    private string LockPath => Path.Combine(directory, "periscope-tokens.lock");

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

    /// <summary>
    /// Holds the cache for one whole acquisition (read, refresh at the provider, write): another
    /// process waits, then finds the fresh token instead of redeeming the refresh token again.
    /// Null when the holder has not let go within a minute.
    /// </summary>
    public async Task<IDisposable?> HoldAsync(CancellationToken cancellationToken)
    {
        try
        {
            _held = await LockAsync(cancellationToken);
        }
        catch (IOException)
        {
            return null;
        }

        return new Hold(this, _held);
    }

    /// <summary>Keeps MSAL's cache for this client in the keychain or the file, under the lock.</summary>
    public void Bind(ITokenCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.SetBeforeAccessAsync(async args =>
        {
            if (_held is null)
            {
                _held = await LockAsync(args.CancellationToken);
                _heldByAccess = true;
            }

            try
            {
                args.TokenCache.DeserializeMsalV3(ReadCache(), shouldClearExistingCache: true);
            }
            catch (MsalClientException)
            {
                // A damaged cache: as good as signed out; the next login writes a new one.
                args.TokenCache.DeserializeMsalV3(null, shouldClearExistingCache: true);
            }
        });
        cache.SetAfterAccessAsync(args =>
        {
            try
            {
                if (args.HasStateChanged)
                {
                    WriteCache(args.TokenCache.SerializeMsalV3());
                }
            }
            finally
            {
                if (_heldByAccess)
                {
                    _heldByAccess = false;
                    _held?.Dispose();
                    _held = null;
                }
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Removes the sign-in: the files, the keychain's entry and any under the earlier schema.
    /// <see cref="SignOut.Left"/> says why a secret may remain in the keychain: it refused, or it
    /// could not show that it still keeps secrets (a keyring whose service has gone away answers
    /// "nothing to remove" without an error).
    /// </summary>
    public async Task<SignOut> ClearAsync()
    {
        using var held = await HoldAsync(CancellationToken.None); // null (held elsewhere for a minute): remove regardless
        var had = File.Exists(CachePath) || File.Exists(RecordPath);
        string? left = null;
        if (keychain is not null)
        {
            try
            {
                had |= keychain.Read() is not null;
                keychain.Clear();
                had |= earlier?.Clear() == true;
                keychain.Verify();
                if (keychain.Read() is not null)
                {
                    left = $"{keychain.Description} still holds it after removing it";
                }
            }
            catch (KeyringException ex)
            {
                left = ex.Message;
            }
        }

        if (Directory.Exists(directory))
        {
            File.Delete(CachePath);
            File.Delete(RecordPath);
        }

        return new SignOut(had, left is null ? null : $"{left}; if it keeps a Periscope sign-in for {directory}, remove it there, or run 'periscope logout' again once it answers");
    }

    // The lock between processes; IOException when its holder has not let go within a minute.
    private Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(directory);
        return ProcessLock.AcquireAsync(LockPath, s_lockLimit, time ?? TimeProvider.System, cancellationToken);
    }

    /// <summary>
    /// Whether the keychain keeps secrets (doctor): null when it does or there is none, else why not.
    /// Under the lock: the check writes and removes a test entry another process's check would see.
    /// </summary>
    public async Task<string?> CheckKeychainAsync(CancellationToken cancellationToken)
    {
        using var held = await HoldAsync(cancellationToken);
        try
        {
            keychain?.Verify();
            return null;
        }
        catch (KeyringException ex)
        {
            return ex.Message;
        }
    }

    // The keychain, once it has shown in this process that it keeps what it is given.
    private bool KeychainUsable()
    {
        if (keychain is null || _refused)
        {
            return false;
        }

        if (!_verified)
        {
            try
            {
                keychain.Verify();
                _verified = true;
            }
            catch (KeyringException)
            {
                _refused = true;
                return false;
            }
        }

        return true;
    }

    // The file first: when it is there it is newer than the keychain's copy (written when the keychain
    // refused, or from before there was one). A keychain that failed its check is still read from,
    // only not written to: the sign-in may well be there.
    private byte[]? ReadCache()
    {
        if (File.Exists(CachePath))
        {
            var file = File.ReadAllBytes(CachePath);
            MoveIn(file, () => File.Delete(CachePath));
            return file;
        }

        if (keychain is null)
        {
            return null;
        }

        try
        {
            if (keychain.Read() is { } kept)
            {
                return kept;
            }

            if (earlier?.Lookup() is not { } old)
            {
                return null;
            }

            var moved = Encoding.UTF8.GetBytes(old);
            MoveIn(moved, () => earlier.Clear());
            return moved;
        }
        catch (KeyringException)
        {
            _refused = true; // the file is where the sign-in goes from here
            return null;
        }
    }

    // A cache found elsewhere goes into the keychain when it keeps secrets, then leaves where it was.
    private void MoveIn(byte[] cache, Action removeOld)
    {
        if (!KeychainUsable())
        {
            return;
        }

        try
        {
            keychain!.Write(cache);
            removeOld();
        }
        catch (KeyringException)
        {
            _refused = true;
        }
    }

    private void WriteCache(byte[] bytes)
    {
        if (KeychainUsable())
        {
            try
            {
                keychain!.Write(bytes);
                File.Delete(CachePath);
                return;
            }
            catch (KeyringException)
            {
                _refused = true; // keep the sign-in in the file rather than lose it; Location then names the file
            }
        }

        PrivateFiles.CreateDirectory(directory);
        PrivateFiles.WriteAtomically(CachePath, stream => stream.Write(bytes));
    }

    private sealed class Hold(TokenStore store, IDisposable held) : IDisposable
    {
        public void Dispose()
        {
            store._held = null;
            held.Dispose();
        }
    }
}

/// <summary>What logout did: <paramref name="Had"/> a sign-in; <paramref name="Left"/>, why a secret may remain.</summary>
internal sealed record SignOut(bool Had, string? Left);
