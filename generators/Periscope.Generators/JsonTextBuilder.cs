using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Periscope.Generators;

/// <summary>Writes indented JSON text (two spaces a level). Used for the emitted JSON Schema.</summary>
internal sealed class JsonTextBuilder
{
    private readonly StringBuilder _builder = new();
    private readonly Stack<bool> _hasItems = new();
    private bool _afterName;

    public JsonTextBuilder StartObject() => Open('{');

    public JsonTextBuilder EndObject() => Close('}');

    public JsonTextBuilder StartArray() => Open('[');

    public JsonTextBuilder EndArray() => Close(']');

    public JsonTextBuilder Name(string name)
    {
        BeforeValue();
        AppendString(name);
        _builder.Append(": ");
        _afterName = true;
        return this;
    }

    public JsonTextBuilder String(string value)
    {
        BeforeValue();
        AppendString(value);
        return this;
    }

    public JsonTextBuilder Number(long value)
    {
        BeforeValue();
        _builder.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonTextBuilder Bool(bool value)
    {
        BeforeValue();
        _builder.Append(value ? "true" : "false");
        return this;
    }

    public JsonTextBuilder Property(string name, string value) => Name(name).String(value);

    public JsonTextBuilder Property(string name, long value) => Name(name).Number(value);

    public override string ToString() => _builder.ToString();

    private JsonTextBuilder Open(char c)
    {
        BeforeValue();
        _builder.Append(c);
        _hasItems.Push(false);
        return this;
    }

    private JsonTextBuilder Close(char c)
    {
        var hadItems = _hasItems.Pop();
        if (hadItems)
        {
            NewLine();
        }

        _builder.Append(c);
        return this;
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_hasItems.Count == 0)
        {
            return;
        }

        if (_hasItems.Peek())
        {
            _builder.Append(',');
        }
        else
        {
            _hasItems.Pop();
            _hasItems.Push(true);
        }

        NewLine();
    }

    private void NewLine() => _builder.Append('\n').Append(' ', _hasItems.Count * 2);

    private void AppendString(string value)
    {
        _builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _builder.Append("\\\""); break;
                case '\\': _builder.Append("\\\\"); break;
                case '\n': _builder.Append("\\n"); break;
                case '\r': _builder.Append("\\r"); break;
                case '\t': _builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        _builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _builder.Append(c);
                    }

                    break;
            }
        }

        _builder.Append('"');
    }
}
