using System.Net.Http.Json;

namespace Synapse.Tests.Fields;

/// <summary>
/// DLP scans run under a wall-clock budget (250 ms) and fail closed when it runs out: on a machine
/// whose cores are shared by many builds, a thread can be starved that long, and the request is
/// refused (or its answer withheld) with <c>dlp_scan_failed</c>. These tests are about what a
/// finished scan decides, so such a request is sent again; any other answer is returned as it is.
/// Tests therefore count a provider's requests as "at least one" where an answer was scanned.
/// </summary>
internal static class ScanBudgetRetry
{
    private const int Attempts = 5;

    public static async Task<HttpResponseMessage> PostScannedAsync<T>(this HttpClient client, string path, T body)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.PostAsJsonAsync(path, body);
            if (attempt == Attempts)
            {
                return response;
            }

            await response.Content.LoadIntoBufferAsync();
            if (!(await response.Content.ReadAsStringAsync()).Contains("\"dlp_scan_failed\"", StringComparison.Ordinal))
            {
                return response;
            }
        }
    }
}
