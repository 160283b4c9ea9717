namespace Periscope.Spool;

/// <summary>
/// One spool file as the listing saw it: enough to order, trim and read it. A value rather than a
/// <see cref="FileInfo"/>, which keeps a stat buffer per file: a listing of 100k files stays small.
/// </summary>
internal readonly record struct SpoolFile(string Path, DateTime WrittenAtUtc, long Length)
{
    public string Name => System.IO.Path.GetFileName(Path);
}
