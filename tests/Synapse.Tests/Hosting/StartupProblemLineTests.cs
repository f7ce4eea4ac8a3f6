using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synapse.Configuration;
using Synapse.Hosting;

namespace Synapse.Tests.Hosting;

/// <summary>
/// Several settings problems at start are one line of whole sentences, each ending once: before,
/// they were joined with "; " after their own full stops, so a client-mode front end without its
/// audit key and admin token printed "…every silo and front end).; Set Synapse:Admin:Token…".
/// </summary>
public sealed class StartupProblemLineTests
{
    private const string NoAuditKey = "No audit key: set Synapse:Audit:HashKey (base64 of at least 32 random bytes, e.g. from 'openssl rand -base64 32'; the same on every silo and front end).";
    private const string NoAdminToken = "Set Synapse:Admin:Token (env Synapse__Admin__Token): a front end in client mode never generates its own admin token.";

    [Fact]
    public void TwoProblemsOfOneSection_AreTwoSentencesOnOneLine()
    {
        var services = new ServiceCollection();
        services.AddOptions<First>().Validate(_ => false, NoAuditKey).Validate(_ => false, NoAdminToken).ValidateOnStart();

        var problems = StartupValidation.Problems(services.BuildServiceProvider());

        Assert.Equal(NoAuditKey + " " + NoAdminToken, problems);
    }

    [Fact]
    public void ProblemsOfSeveralSections_AreSentencesOnOneLine_WithAFullStopWhereOneHadNone()
    {
        var services = new ServiceCollection();
        services.AddOptions<First>().Validate(_ => false, NoAuditKey).ValidateOnStart();
        services.AddOptions<Second>().Validate(_ => false, "Synapse:Audit:AppendTimeout must be a positive time span").ValidateOnStart();

        var problems = StartupValidation.Problems(services.BuildServiceProvider());

        Assert.Equal(NoAuditKey + " Synapse:Audit:AppendTimeout must be a positive time span.", problems);
    }

    [Theory]
    [InlineData(new[] { "One.", "Two." }, "One. Two.")]
    [InlineData(new[] { "One (a).", "two" }, "One (a). two.")]
    [InlineData(new[] { " One ", "Is it two?" }, "One. Is it two?")]
    [InlineData(new[] { "Only one." }, "Only one.")]
    public void ProblemLine_EndsEachProblemOnce(string[] problems, string line) =>
        Assert.Equal(line, ProblemLine.Join(problems));

    private sealed class First;

    private sealed class Second;
}
