namespace Synapse.Dlp.Engine;

/// <summary>
/// Runs every detector once, on text that reaches each code path's static tables (Unicode
/// normalisation data, the confusables fold, key formats, issuer ranges, JSON parsing of JWT
/// segments), before the first real scan: otherwise the first request after start-up pays for JIT
/// and type initialisation inside its 250 ms budget and, on a busy machine, fails closed.
/// </summary>
internal static class EngineWarmUp
{
    private const string Text =
        "card 4111 1111 1111 1111, ssn 536-90-4399, NI AB 12 34 56 C, IBAN GB29 NWBK 6016 1331 9268 19, "
        + "mail jürgen@bücher.de, call +44 20 7946 0958 or 020 7946 0959, host 10.0.0.1 and fe80::1%eth0, "
        + "key ѕk-ant-api03-x and AK" + "IAXXXXXXXXXXXXXXXX, token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA, "
        + "-----BEGIN PRIVATE" + " KEY-----\nAAAA\n-----END PRIVATE KEY-----";

    private static readonly Lazy<bool> Done = new(Run);

    public static void Ensure() => _ = Done.Value;

    private static bool Run()
    {
        var set = DetectorSet.Build(DlpPolicy.Default);
        var budget = new ScanBudget(TimeProvider.System, TimeSpan.FromMinutes(1));
        var (candidates, _) = WindowScanner.Scan(set, Text, 0, final: false, budget);
        ClusterResolver.Resolve(candidates, set);
        return true;
    }
}
