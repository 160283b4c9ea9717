using System.Text;
using System.Text.Json;

namespace Periscope.Setup;

/// <summary>
/// The <c>"plugin": [...]</c> array of one opencode.json / opencode.jsonc, read and edited as text
/// so the user's comments, order and formatting stay as they were. Entries are npm names (with an
/// optional <c>@version</c>), <c>file://</c> URLs, or <c>[name, options]</c> pairs; OpenCode 2.x and
/// 1.18 both read it. OpenCode 2's own <c>"plugins": [...]</c> list (names or <c>{package, options}</c>),
/// which 1.18 does not read, is recognised, and so is the object form <c>"plugins": {...}</c> that
/// older Periscope docs show, which neither version loads anything from.
/// </summary>
internal sealed class PluginList
{
    public const string PackageName = "@periscope/opencode-analytics";

    private readonly string _text;
    private readonly List<Entry> _entries = [];
    private int _rootOpen = -1;
    private int _arrayOpen = -1;
    private bool _rootHasProperties;

    private PluginList(string text) => _text = text;

    /// <summary>One entry of the array: its name and where it stands in the text.</summary>
    internal readonly record struct Entry(string Name, int Start, int End);

    /// <summary>Whether the array lists Periscope (any version, or a local copy of the package).</summary>
    public bool Listed => _entries.Exists(e => IsPeriscope(e.Name));

    /// <summary>Whether the ignored <c>"plugins": {...}</c> object names Periscope.</summary>
    public bool ListedInOldForm { get; private set; }

    /// <summary>Whether OpenCode 2's <c>"plugins": [...]</c> list names Periscope (OpenCode 1.18 does not read it).</summary>
    public bool ListedForOpenCode2Only { get; private set; }

    public IReadOnlyList<string> Names => _entries.ConvertAll(e => e.Name);

    /// <summary>Reads a config's text; a JSON error says where.</summary>
    public static PluginList Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new PluginList(text);
        list.Scan();
        return list;
    }

    /// <summary>The text with Periscope appended to the array (created when absent); unchanged when already listed.</summary>
    public string WithPeriscope()
    {
        if (Listed)
        {
            return _text;
        }

        const string Quoted = "\"" + PackageName + "\"";
        if (_arrayOpen >= 0)
        {
            return _entries.Count == 0
                ? _text.Insert(_arrayOpen + 1, Quoted)
                : _text.Insert(_entries[^1].End, ", " + Quoted);
        }

        var indent = Indentation();
        return _text.Insert(_rootOpen + 1, _rootHasProperties
            ? $"\n{indent}\"plugin\": [{Quoted}],"
            : $"\n{indent}\"plugin\": [{Quoted}]\n");
    }

    /// <summary>The text without any Periscope entry in the array, each removed with its comma.</summary>
    public string WithoutPeriscope()
    {
        var text = new StringBuilder(_text);
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (!IsPeriscope(_entries[i].Name))
            {
                continue;
            }

            var (start, end) = (_entries[i].Start, _entries[i].End);
            var after = SkipSpace(end);
            if (after < _text.Length && _text[after] == ',')
            {
                end = SkipSpace(after + 1); // "x", "y"  ->  "y"
            }
            else if (PrecedingComma(start) is { } comma)
            {
                start = comma; // "y", "x"  ->  "y"
            }

            text.Remove(start, end - start);
        }

        return text.ToString();
    }

    /// <summary>Periscope by npm name (any version or tag) or as a local package directory named for it.</summary>
    public static bool IsPeriscope(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(entry, UriKind.Absolute, out var uri) && LocalPackageName(uri.LocalPath) == PackageName;
        }

        return entry == PackageName || entry.StartsWith(PackageName + "@", StringComparison.Ordinal);
    }

    private static string? LocalPackageName(string directory)
    {
        try
        {
            var manifest = Path.Combine(directory, "package.json");
            if (!File.Exists(manifest))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            return document.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private void Scan()
    {
        var bytes = Encoding.UTF8.GetBytes(_text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the file is not a JSON object");
        }

        _rootOpen = CharIndex(bytes, reader.TokenStartIndex);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            _rootHasProperties = true;
            var name = reader.GetString();
            reader.Read();
            if (name == "plugin" && reader.TokenType == JsonTokenType.StartArray)
            {
                _arrayOpen = CharIndex(bytes, reader.TokenStartIndex);
                ReadEntries(ref reader, bytes);
            }
            else if (name == "plugins" && reader.TokenType == JsonTokenType.StartArray)
            {
                ListedForOpenCode2Only = PluginsListNamesPeriscope(ref reader);
            }
            else if (name == "plugins" && reader.TokenType == JsonTokenType.StartObject)
            {
                var depth = reader.CurrentDepth;
                while (reader.Read() && reader.CurrentDepth > depth)
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && IsPeriscope(reader.GetString()!))
                    {
                        ListedInOldForm = true;
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("the file's top-level object is not closed");
        }

        if (reader.Read())
        {
            throw new JsonException("there is text after the top-level object");
        }
    }

    private void ReadEntries(ref Utf8JsonReader reader, byte[] bytes)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = CharIndex(bytes, reader.TokenStartIndex);
            string? name = null;
            if (reader.TokenType == JsonTokenType.String)
            {
                name = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                var pair = reader; // [name, options]: the name is the first element
                if (pair.Read() && pair.TokenType == JsonTokenType.String)
                {
                    name = pair.GetString();
                }

                reader.Skip();
            }
            else
            {
                reader.Skip();
            }

            _entries.Add(new Entry(name ?? string.Empty, start, CharIndex(bytes, reader.BytesConsumed)));
        }
    }

    // OpenCode 2's "plugins": [...] entries: a name, or {package, options}.
    private static bool PluginsListNamesPeriscope(ref Utf8JsonReader reader)
    {
        var found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                found |= IsPeriscope(reader.GetString()!);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var depth = reader.CurrentDepth;
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.GetString() == "package")
                {
                    reader.Read();
                    found |= reader.TokenType == JsonTokenType.String && IsPeriscope(reader.GetString()!);
                }
            }
        }

        return found;
    }

    // The reader counts UTF-8 bytes; edits are made in the string.
    private static int CharIndex(byte[] bytes, long byteIndex) => Encoding.UTF8.GetCharCount(bytes, 0, (int)byteIndex);

    private int SkipSpace(int index)
    {
        while (index < _text.Length && char.IsWhiteSpace(_text[index]))
        {
            index++;
        }

        return index;
    }

    private int? PrecedingComma(int index)
    {
        var i = index - 1;
        while (i >= 0 && char.IsWhiteSpace(_text[i]))
        {
            i--;
        }

        return i >= 0 && _text[i] == ',' ? i : null;
    }

    // The indentation of the first property, so an inserted one lines up; two spaces otherwise.
    private string Indentation()
    {
        var lineStart = _text.IndexOf('\n', _rootOpen) + 1;
        if (lineStart == 0)
        {
            return "  ";
        }

        var end = lineStart;
        while (end < _text.Length && _text[end] is ' ' or '\t')
        {
            end++;
        }

        return end > lineStart ? _text[lineStart..end] : "  ";
    }
}
