using Periscope.Commands;
using Periscope.Platform;

FileSizeLimit.FailWritesInsteadOfExiting();
return CommandLine.Run(args);
