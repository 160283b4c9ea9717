using Periscope.TestIngest;

// As a process (tests/bench/worker-throughput.sh): prints "listening <endpoint>", serves until
// stdin closes, then prints "requests=N events=N stored=N".
await using var server = await IngestServer.StartAsync();
Console.WriteLine($"listening {server.Endpoint}");
await Console.In.ReadToEndAsync();
Console.WriteLine($"requests={server.RequestCount} events={server.Received.Count} stored={server.Stored.Count}");
