using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

// Floods a running gateway's /v1 with made-up keys (well-formed, so each one is looked up) from
// many loopback source addresses, and samples the gateway's resident memory as it goes. The
// question: does memory stay flat however many keys are guessed? See bench/unknown-key-flood.sh.
//
//   Synapse.KeyFlood --url http://127.0.0.1:8080 --pid 1234 --requests 2000000 --concurrency 64 --sources 20000
var settings = Settings.Parse(args);
var sources = Enumerable.Range(0, settings.Sources).Select(n => new IPAddress([127, 78, (byte)(n / 250), (byte)((n % 250) + 1)])).ToArray();
// At most 512 connections are open at once (a connection flood is another test): each slot sends
// 10 requests from one address, then moves on to the next address, so every address is used in turn.
const int Slots = 512;
const int RequestsPerAddress = 10;
var clients = new (int Source, HttpClient Client)?[Slots];
var statuses = new ConcurrentDictionary<int, long>();
long sent = 0;
var samples = new List<string>();
var clock = Stopwatch.StartNew();
Console.WriteLine($"gateway pid {settings.Pid}: RSS before the flood {Rss(settings.Pid)} MB");

double[] fractions = [0.05, 0.1, 0.25, 0.5, 0.75, 1.0];
var checkpoints = fractions.Select(f => (long)(settings.Requests * f)).ToHashSet();
await Parallel.ForEachAsync(Enumerable.Range(0, settings.Concurrency), async (worker, cancellation) =>
{
    // Each worker rotates through its own share of source addresses, a fresh key every request.
    long n;
    while ((n = Interlocked.Increment(ref sent)) <= settings.Requests)
    {
        var slot = (int)(n % Slots);
        var wanted = (int)((((n / Slots / RequestsPerAddress) * Slots) + slot) % sources.Length);
        HttpClient client;
        lock (clients)
        {
            if (clients[slot] is not { } current || current.Source != wanted)
            {
                clients[slot]?.Client.Dispose();
                clients[slot] = (wanted, Client(settings.Url, sources[wanted]));
            }

            client = clients[slot]!.Value.Client;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer syn-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
        try
        {
            using var response = await client.SendAsync(request, cancellation);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
        }
        catch (Exception e) when (e is HttpRequestException or ObjectDisposedException or TaskCanceledException)
        {
            statuses.AddOrUpdate(0, 1, (_, c) => c + 1);
        }

        if (checkpoints.Contains(n))
        {
            var line = $"{n,10:N0} keys  {clock.Elapsed.TotalSeconds,6:F0} s  {n / clock.Elapsed.TotalSeconds,7:F0} req/s  RSS {Rss(settings.Pid),5} MB";
            lock (samples)
            {
                samples.Add(line);
            }

            Console.WriteLine(line);
        }
    }
});

Console.WriteLine($"statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value:N0}"))}");
await Task.Delay(TimeSpan.FromSeconds(settings.SettleSeconds));
Console.WriteLine($"RSS {settings.SettleSeconds} s after the flood: {Rss(settings.Pid)} MB");
return 0;

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
    }

    return -1;
}

// A client whose connections come from one loopback address: the gateway counts failures per address.
static HttpClient Client(Uri url, IPAddress source) => new(new SocketsHttpHandler
{
    ConnectCallback = async (context, token) =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    },
})
{ BaseAddress = url };

internal sealed record Settings(Uri Url, int Pid, long Requests, int Concurrency, int Sources, int SettleSeconds)
{
    public static Settings Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var at = Array.IndexOf(args, "--" + name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        return new Settings(
            new Uri(Get("url", "http://127.0.0.1:8080")),
            int.Parse(Get("pid", "0"), CultureInfo.InvariantCulture),
            long.Parse(Get("requests", "1000000"), CultureInfo.InvariantCulture),
            int.Parse(Get("concurrency", "64"), CultureInfo.InvariantCulture),
            int.Parse(Get("sources", "20000"), CultureInfo.InvariantCulture),
            int.Parse(Get("settle", "10"), CultureInfo.InvariantCulture));
    }
}
