using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Synapse.Configuration;
using Synapse.Gateway.Admin;
using Synapse.Gateway.Security;

namespace Synapse.Gateway.Audit;

/// <summary>
/// The texts each admin identity may still prove in its window (<see cref="AuditProofOptions"/>),
/// keyed by who asks — the account, or <c>token</c> for the admin token — not by address, so a
/// guesser cannot spread over addresses and a colleague behind the same proxy keeps their own budget.
/// Counted per front end, like the admin throttles: with several front ends behind a balancer an
/// identity gets at most this budget on each.
/// </summary>
/// <remarks>
/// Counted in <see cref="FixedWindowCounters"/> rather than a BCL <c>PartitionedRateLimiter</c>: the
/// latter's fixed-window partitions run a 100 ms heartbeat for the life of the process, which
/// kept an idle gateway's thread pool waking (docs/benchmarks.md); the counters are checked only
/// when a proof asks.
/// </remarks>
internal sealed class AuditProofBudget(IOptions<AuditProofOptions> options, TimeProvider time)
{
    private readonly AuditProofOptions _settings = options.Value;
    private readonly FixedWindowCounters _texts = new(options.Value.TextsPerWindow, TimeSpan.FromSeconds(options.Value.WindowSeconds), time);

    /// <summary>Takes one text from <paramref name="user"/>'s budget; false, with how long to wait, when none is left.</summary>
    public bool TryTake(ClaimsPrincipal user, out TimeSpan retryAfter) =>
        _texts.TryTake(AdminAudit.ActorOf(user) ?? string.Empty, out retryAfter);

    /// <summary>The 429 of a spent budget: problem details, <c>Retry-After</c>, and a reason in the audit row.</summary>
    public IResult Refusal(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        AdminAuditScope.Of(context).Facts["reason"] = "proof_budget";
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            type: "https://tools.ietf.org/html/rfc6585#section-4",
            title: "Too many proofs",
            detail: $"Each proof checks a guess at what was sent, so one identity may prove {_settings.TextsPerWindow} texts per {_settings.WindowSeconds} s ({AuditProofOptions.SectionName}); wait for Retry-After seconds.",
            extensions: new Dictionary<string, object?> { ["code"] = "proof_rate_limited" });
    }
}

public static class AuditProofServiceCollectionExtensions
{
    /// <summary>The per-identity budget of <c>POST /admin/api/audit/prove</c>, bound from <see cref="AuditProofOptions.SectionName"/> and checked at start.</summary>
    public static IServiceCollection AddAuditProofBudget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSynapseOptions<AuditProofOptions>(configuration, AuditProofOptions.SectionName);
        services.AddSingleton<AuditProofBudget>();
        return services;
    }
}
