namespace Periscope.Platform;

/// <summary>
/// The commands that deliver, sign in and report (worker, flush, status, login, logout, install, uninstall, doctor, stats, report, import) run in a second Native AOT image of this
/// program, embedded in the installed executable and extracted on first use, so the hook that
/// OpenCode starts on every message never carries the HTTP and TLS stacks. Native AOT allocates a
/// static base for every type with reference statics at start-up, used or not: linking the
/// delivery stack into the hook's image took its start from 3.6M to 5.5M instructions.
/// </summary>
internal static class DeliveryImage
{
    private const string FileName = "periscope-delivery";

    /// <summary>Runs <paramref name="args"/> in the delivery image, in place of this process; the exit code on failure.</summary>
    public static int Run(string[] args)
    {
        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        var directory = Path.Combine(paths.Root, "lib", "delivery-" + BuildInfo.DeliverySha256[..16]);
        try
        {
            var image = new EmbeddedFile("delivery", BuildInfo.DeliverySha256, BuildInfo.DeliveryLength, Gzipped: true, Executable: true);
            return ProcessImage.Replace(image.Ensure(directory, HostOS.ExecutableName(FileName)), args);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // It is written once per version: a full disk (or a file-size limit) stops it here.
            var needed = Math.Ceiling(BuildInfo.DeliveryLength / (1024.0 * 1024.0));
            Console.Error.WriteLine($"periscope: cannot start the delivery component in {directory} ({FileProblem.Describe(ex)}); it needs {needed:0} MB free there, once per version. Make the state directory writable by you, with that much space, on a file system that allows programs (not noexec), or set PERISCOPE_HOME to one that is.");
            return 1;
        }
    }
}
