using Periscope.Commands;

return CommandLine.Run(args);
