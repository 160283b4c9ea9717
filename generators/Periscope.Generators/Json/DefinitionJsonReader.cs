using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Periscope.Generators.Model;

namespace Periscope.Generators.Json;

/// <summary>Thrown for text that is not JSON; carries the place of the problem.</summary>
internal sealed class DefinitionJsonException(string message, LocationInfo location) : Exception(message)
{
    public LocationInfo Location { get; } = location;
}

/// <summary>
/// A small strict JSON (RFC 8259) reader that records line and column of every value, so diagnostics
/// can point at the definition. The generator cannot rely on System.Text.Json loading in every
/// compiler host, and definition files are a few kilobytes: a recursive descent reader is enough.
/// </summary>
internal sealed class DefinitionJsonReader
{
    private const int MaxDepth = 32;

    private readonly string _path;
    private readonly string _text;
    private int _position;
    private int _line;
    private int _lineStart;
    private int _depth;

    private DefinitionJsonReader(string path, string text)
    {
        _path = path;
        _text = text;
    }

    public static JsonNode Parse(string path, string text)
    {
        var reader = new DefinitionJsonReader(path, text);
        reader.SkipWhitespace();
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._position < text.Length)
        {
            throw reader.Error("unexpected text after the end of the JSON value");
        }

        return value;
    }

    private JsonNode ReadValue()
    {
        if (_position >= _text.Length)
        {
            throw Error("unexpected end of file, expected a value");
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                var (startLine, startColumn, start) = (_line, _position - _lineStart, _position);
                var text = ReadString();
                return new JsonStringNode(LocationFrom(start, startLine, startColumn), text);
            case 't':
                return ReadLiteral("true", true);
            case 'f':
                return ReadLiteral("false", false);
            case 'n':
                return ReadLiteral("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ReadNumber();
                }

                throw Error($"unexpected character '{c}', expected a value");
        }
    }

    private JsonObjectNode ReadObject()
    {
        var (startLine, startColumn, start) = (_line, _position - _lineStart, _position);
        Enter();
        _position++;
        var properties = new List<JsonPropertyNode>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            _depth--;
            return new JsonObjectNode(LocationFrom(start, startLine, startColumn), properties);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error("expected a property name in double quotes");
            }

            var (nameLine, nameColumn, nameStart) = (_line, _position - _lineStart, _position);
            var name = ReadString();
            var nameLocation = LocationFrom(nameStart, nameLine, nameColumn);
            SkipWhitespace();
            Expect(':');
            SkipWhitespace();
            properties.Add(new JsonPropertyNode(name, nameLocation, ReadValue()));
            SkipWhitespace();
            var next = Peek();
            _position++;
            if (next == '}')
            {
                break;
            }

            if (next != ',')
            {
                _position--;
                throw Error("expected ',' or '}' after a property value");
            }
        }

        _depth--;
        return new JsonObjectNode(LocationFrom(start, startLine, startColumn), properties);
    }

    private JsonArrayNode ReadArray()
    {
        var (startLine, startColumn, start) = (_line, _position - _lineStart, _position);
        Enter();
        _position++;
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            _depth--;
            return new JsonArrayNode(LocationFrom(start, startLine, startColumn), items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue());
            SkipWhitespace();
            var next = Peek();
            _position++;
            if (next == ']')
            {
                break;
            }

            if (next != ',')
            {
                _position--;
                throw Error("expected ',' or ']' after an array item");
            }
        }

        _depth--;
        return new JsonArrayNode(LocationFrom(start, startLine, startColumn), items);
    }

    private string ReadString()
    {
        _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c < ' ')
            {
                _position--;
                throw Error("control character in a string");
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= _text.Length)
            {
                throw Error("unterminated escape sequence");
            }

            var escape = _text[_position++];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("invalid \\u escape");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    _position--;
                    throw Error($"invalid escape '\\{escape}'");
            }
        }
    }

    private JsonNumberNode ReadNumber()
    {
        var (startLine, startColumn, start) = (_line, _position - _lineStart, _position);
        if (Peek() == '-')
        {
            _position++;
        }

        var digits = ConsumeDigits();
        if (digits == 0)
        {
            throw Error("expected a digit");
        }

        if (Peek() == '.')
        {
            _position++;
            if (ConsumeDigits() == 0)
            {
                throw Error("expected a digit after the decimal point");
            }
        }

        if (Peek() is 'e' or 'E')
        {
            _position++;
            if (Peek() is '+' or '-')
            {
                _position++;
            }

            if (ConsumeDigits() == 0)
            {
                throw Error("expected a digit in the exponent");
            }
        }

        return new JsonNumberNode(LocationFrom(start, startLine, startColumn), _text.Substring(start, _position - start));
    }

    private int ConsumeDigits()
    {
        var start = _position;
        while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9')
        {
            _position++;
        }

        return _position - start;
    }

    private JsonLiteralNode ReadLiteral(string literal, bool? value)
    {
        var (startLine, startColumn, start) = (_line, _position - _lineStart, _position);
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            throw Error($"unexpected text, expected '{literal}'");
        }

        _position += literal.Length;
        return new JsonLiteralNode(LocationFrom(start, startLine, startColumn), value);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nesting deeper than {MaxDepth} levels");
        }
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }

        _position++;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }
            else if (c != ' ' && c != '\t' && c != '\r' && c != '\uFEFF')
            {
                return;
            }

            _position++;
        }
    }

    private LocationInfo LocationFrom(int start, int line, int column)
        => new(_path, start, _position - start, line, column, _line, _position - _lineStart);

    private DefinitionJsonException Error(string message)
    {
        var column = _position - _lineStart;
        var length = _position < _text.Length ? 1 : 0;
        return new DefinitionJsonException(message, new LocationInfo(_path, _position, length, _line, column, _line, column + length));
    }
}
