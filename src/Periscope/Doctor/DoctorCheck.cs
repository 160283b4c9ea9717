using System.Text.Json;

namespace Periscope.Doctor;

/// <summary>How one check went. Only <see cref="Fail"/> makes doctor exit non-zero.</summary>
internal enum CheckStatus
{
    Pass,
    Warn,
    Fail,
    Skip,
}

/// <summary>One troubleshooting check: what was found and, unless it passed, what to do.</summary>
internal sealed record DoctorCheck(string Name, CheckStatus Status, string Detail, string? Fix = null)
{
    public static DoctorCheck Pass(string name, string detail) => new(name, CheckStatus.Pass, detail);

    public static DoctorCheck Skip(string name, string detail) => new(name, CheckStatus.Skip, detail);

    public static string StatusName(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Warn => "warn",
        CheckStatus.Fail => "fail",
        _ => "skip",
    };

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        writer.WriteString("status", StatusName(Status));
        writer.WriteString("detail", Detail);
        if (Fix is not null)
        {
            writer.WriteString("fix", Fix);
        }

        writer.WriteEndObject();
    }
}
