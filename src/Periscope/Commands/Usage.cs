namespace Periscope.Commands;

/// <summary>The --help text: every command, one line each.</summary>
internal static class Usage
{
    public const string Text = """
        periscope - Periscope analytics for OpenCode: model, token, cost and commit metadata, never content.

        Usage: periscope <command> [options]

        Commands:
          hook opencode [--verbose]        Capture one OpenCode hook call from stdin into the spool (used by the plugin).
          replay <file.jsonl> [--verbose]  Feed recorded hook calls, one JSON object a line, through the capture path.
          install [--project] [--endpoint URL | --local] [--otlp URL] [--import]
                                           List the plugin in OpenCode's config (global, or the project's), create analytics.json,
                                           and offer to import OpenCode's history.
          uninstall [--project]            Take the plugin out of OpenCode's config again.
          doctor [--json]                  Check the whole setup, each check with its fix; exits 1 when something is wrong.
          status [--json]                  Mode, queue, worker, last delivery, dead letters and the last problem.
          flush                            Deliver the spooled events now (to the endpoint, or in local mode into the local ledger).
          worker                           Drain the spool in the background until idle (started by the hook).
          login [--device-code]            Sign in with the endpoint's provider: in the browser, or with a code on another device.
          logout                           Remove the stored sign-in.
          stats [--by model|provider|day|repo|session|commit] [--since D] [--until D] [--json|--csv]
                                           Cost, tokens, messages and commits from the local ledger.
          report [--since D] [--until D] [--repo NAME] [-o FILE] [--open]
                                           Write the dashboard as one self-contained HTML page, from the local ledger.
          import opencode [--since D] [--dry-run] [--database FILE]
                                           Bring in the sessions, messages and commits OpenCode recorded before Periscope.
          schema [--otel]                  Print the JSON Schema (draft 2020-12) of the events, or their OpenTelemetry mapping.
          --version                        Print version, commit and platform.
          help [COMMAND]                   Print this help, or one command's usage, options and an example (also: COMMAND --help).
          --help                           Print this help.

        State directory: $PERISCOPE_HOME, else the platform's per-user state directory.

        """;
}
