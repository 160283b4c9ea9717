using System.Text;
using System.Text.Encodings.Web;

namespace Periscope.Events;

/// <summary>
/// Escapes what JSON requires and nothing more: the quotation mark, the reverse solidus and control
/// characters (C0, DEL, C1), plus U+2028/U+2029 so the text stays valid JavaScript; every other
/// character is written as UTF-8. An unpaired surrogate is reported so the writer replaces it.
/// <see cref="JavaScriptEncoder.Default"/> escapes more (HTML-sensitive and non-ASCII characters),
/// but its static constructor walks every code point of the BMP: about 1M instructions, a third of
/// the hook's start-up (callgrind). Output from either is the same JSON to any reader.
/// </summary>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static MinimalJsonEncoder Instance { get; } = new();

    private MinimalJsonEncoder()
    {
    }

    // "\uXXXX" is the longest escape written (characters above U+FFFF are never escaped).
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar)
        => unicodeScalar is < 0x20 or '"' or '\\' or (>= 0x7F and <= 0x9F) or 0x2028 or 0x2029;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || WillEncode(c))
            {
                return i;
            }
        }

        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        for (var i = 0; i < utf8Text.Length;)
        {
            if (utf8Text[i] < 0x80)
            {
                if (WillEncode(utf8Text[i]))
                {
                    return i;
                }

                i++;
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8Text[i..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done || WillEncode(rune.Value))
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var output = new Span<char>(buffer, bufferLength);
        if (!WillEncode(unicodeScalar))
        {
            // Not ours to escape: written as it is (a pair of surrogates above U+FFFF).
            return new Rune(unicodeScalar).TryEncodeToUtf16(output, out numberOfCharactersWritten);
        }

        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };
        numberOfCharactersWritten = escape.IsEmpty ? 6 : escape.Length;
        if (output.Length < numberOfCharactersWritten)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        if (!escape.IsEmpty)
        {
            escape.CopyTo(output);
            return true;
        }

        output[0] = '\\';
        output[1] = 'u';
        return ((uint)unicodeScalar).TryFormat(output[2..], out _, "X4", System.Globalization.CultureInfo.InvariantCulture);
    }
}
