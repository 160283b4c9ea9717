using System.Runtime.InteropServices;

namespace Periscope.Platform;

/// <summary>
/// The sign-in as Periscope 1 kept it in the Linux desktop keyring, before <see cref="Keychain"/>:
/// one Secret Service item per config directory, found by the attributes service=periscope,
/// kind=msal-token-cache, config=&lt;directory&gt;, holding MSAL's cache as plain text. The library
/// behind <see cref="Keychain"/> takes two attributes and keeps base64, so it can neither find nor
/// read these items; this binding remains only to move one into the keychain, once, and to remove
/// it (and at logout, to make sure none is left). Every call has the keychain's 10 s limit
/// (<see cref="Keychain.WithinLimit"/>).
/// </summary>
internal sealed unsafe class EarlierKeyringEntry
{
    // libsecret and glib stay loaded, and the schema allocated, for the life of the process.
    private static readonly Lazy<Functions?> Native = new(Load);

    private readonly Functions _f;
    private readonly SecretSchema* _schema;
    private readonly string _directory;

    private EarlierKeyringEntry(Functions functions, string directory)
    {
        _f = functions;
        _schema = functions.Schema;
        _directory = directory;
    }

    /// <summary>The item for sign-ins configured in <paramref name="directory"/>, or null where there can be none (not Linux, no libsecret).</summary>
    public static EarlierKeyringEntry? TryOpen(string directory)
        => HostOS.IsLinux && Native.Value is { } functions ? new EarlierKeyringEntry(functions, directory) : null;

    /// <summary>The stored secret, null when there is none; throws <see cref="KeyringException"/> when the keyring cannot be asked.</summary>
    public string? Lookup() => Call(attributes =>
    {
        nint error = 0;
        var value = _f.Lookup(_schema, attributes, 0, &error);
        ThrowOn(error, "read from");
        if (value == 0)
        {
            return null;
        }

        var text = Marshal.PtrToStringUTF8(value);
        _f.PasswordFree(value);
        return text;
    });

    /// <summary>Removes the secret; true when there was one.</summary>
    public bool Clear() => Call(attributes =>
    {
        nint error = 0;
        var removed = _f.Clear(_schema, attributes, 0, &error) != 0;
        ThrowOn(error, "remove from");
        return removed ? "removed" : null;
    }) is not null;

    // Builds the attribute table and runs one libsecret call, within the keychain's limit.
    private string? Call(Func<nint, string?> call) => Keychain.WithinLimit("the desktop keyring", () =>
    {
        var table = _f.HashTableNew(_f.StrHash, _f.StrEqual);
        var values = new[] { "service", "periscope", "kind", "msal-token-cache", "config", _directory }
            .Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            for (var i = 0; i < values.Length; i += 2)
            {
                _f.HashTableInsert(table, values[i], values[i + 1]);
            }

            return call(table);
        }
        finally
        {
            _f.HashTableUnref(table);
            foreach (var value in values)
            {
                Marshal.FreeCoTaskMem(value);
            }
        }
    });

    private void ThrowOn(nint error, string verb)
    {
        if (error == 0)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8(((GError*)error)->Message) ?? "unknown error";
        _f.ErrorFree(error);
        throw new KeyringException($"cannot {verb} the desktop keyring: {message}");
    }

    private static Functions? Load()
    {
        if (!NativeLibrary.TryLoad("libsecret-1.so.0", out var libsecret))
        {
            return null;
        }

        if (!NativeLibrary.TryLoad("libglib-2.0.so.0", out var glib) || Bind(libsecret, glib) is not { } functions)
        {
            NativeLibrary.Free(libsecret);
            return null;
        }

        var schema = (SecretSchema*)NativeMemory.AllocZeroed((nuint)sizeof(SecretSchema));
        schema->Name = Marshal.StringToCoTaskMemUTF8("sh.periscope.SignIn");
        schema->Flags = 0; // SECRET_SCHEMA_NONE: the attributes below must match exactly
        schema->Attributes[0] = new SchemaAttribute { Name = Marshal.StringToCoTaskMemUTF8("service") };
        schema->Attributes[1] = new SchemaAttribute { Name = Marshal.StringToCoTaskMemUTF8("kind") };
        schema->Attributes[2] = new SchemaAttribute { Name = Marshal.StringToCoTaskMemUTF8("config") };
        functions.Schema = schema;
        return functions;
    }

    private static Functions? Bind(nint libsecret, nint glib)
    {
        if (NativeLibrary.TryGetExport(libsecret, "secret_password_lookupv_sync", out var lookup)
            && NativeLibrary.TryGetExport(libsecret, "secret_password_clearv_sync", out var clear)
            && NativeLibrary.TryGetExport(libsecret, "secret_password_free", out var passwordFree)
            && NativeLibrary.TryGetExport(glib, "g_hash_table_new", out var hashTableNew)
            && NativeLibrary.TryGetExport(glib, "g_hash_table_insert", out var hashTableInsert)
            && NativeLibrary.TryGetExport(glib, "g_hash_table_unref", out var hashTableUnref)
            && NativeLibrary.TryGetExport(glib, "g_str_hash", out var strHash)
            && NativeLibrary.TryGetExport(glib, "g_str_equal", out var strEqual)
            && NativeLibrary.TryGetExport(glib, "g_error_free", out var errorFree))
        {
            return new Functions
            {
                Lookup = (delegate* unmanaged<SecretSchema*, nint, nint, nint*, nint>)lookup,
                Clear = (delegate* unmanaged<SecretSchema*, nint, nint, nint*, int>)clear,
                PasswordFree = (delegate* unmanaged<nint, void>)passwordFree,
                HashTableNew = (delegate* unmanaged<nint, nint, nint>)hashTableNew,
                HashTableInsert = (delegate* unmanaged<nint, nint, nint, int>)hashTableInsert,
                HashTableUnref = (delegate* unmanaged<nint, void>)hashTableUnref,
                StrHash = strHash,
                StrEqual = strEqual,
                ErrorFree = (delegate* unmanaged<nint, void>)errorFree,
            };
        }

        return null;
    }

    private sealed class Functions
    {
        public delegate* unmanaged<SecretSchema*, nint, nint, nint*, nint> Lookup;
        public delegate* unmanaged<SecretSchema*, nint, nint, nint*, int> Clear;
        public delegate* unmanaged<nint, void> PasswordFree;
        public delegate* unmanaged<nint, nint, nint> HashTableNew;
        public delegate* unmanaged<nint, nint, nint, int> HashTableInsert;
        public delegate* unmanaged<nint, void> HashTableUnref;
        public nint StrHash;
        public nint StrEqual;
        public delegate* unmanaged<nint, void> ErrorFree;
        public SecretSchema* Schema;
    }

    // SecretSchemaAttribute: { const gchar *name; SecretSchemaAttributeType type; } (type 0: string).
    [StructLayout(LayoutKind.Sequential)]
    private struct SchemaAttribute
    {
        public nint Name;
        public int Type;
    }

    [System.Runtime.CompilerServices.InlineArray(32)]
    private struct SchemaAttributes
    {
        private SchemaAttribute _first;
    }

    // SecretSchema: name, flags, 32 attributes, then reserved fields libsecret does not read from callers.
    [StructLayout(LayoutKind.Sequential)]
    private struct SecretSchema
    {
        public nint Name;
        public int Flags;
        public SchemaAttributes Attributes;
        public int Reserved;
        public nint Reserved1;
        public nint Reserved2;
        public nint Reserved3;
        public nint Reserved4;
        public nint Reserved5;
        public nint Reserved6;
        public nint Reserved7;
    }

    // GError: { GQuark domain; gint code; gchar *message; }
    [StructLayout(LayoutKind.Sequential)]
    private struct GError
    {
        public uint Domain;
        public int Code;
        public nint Message;
    }
}
