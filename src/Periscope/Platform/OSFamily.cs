namespace Periscope.Platform;

/// <summary>
/// The operating systems whose conventions Periscope follows (where state lives, what makes a
/// desktop). Code that differs by OS takes one of these, so each OS's rule runs in tests on any OS.
/// </summary>
internal enum OSFamily
{
    Linux,
    MacOS,
    Windows,
}
