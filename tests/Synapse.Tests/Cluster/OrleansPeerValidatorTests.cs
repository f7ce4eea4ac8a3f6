using System.Net.Security;
using Synapse.Hosting.Tls;

namespace Synapse.Tests.Cluster;

/// <summary>Which peer certificates the Orleans network trusts: the same certificate, or any leaf of the configured CA.</summary>
public sealed class OrleansPeerValidatorTests
{
    [Fact]
    public void WithoutACa_OnlyTheSameCertificateIsTrusted_WhateverItsName()
    {
        using var own = TestCertificates.SelfSigned("synapse-cluster");
        using var lookalike = TestCertificates.SelfSigned("synapse-cluster");
        var validator = new OrleansPeerValidator(own, authority: null);

        Assert.True(validator.IsTrusted(own, chain: null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(validator.IsTrusted(lookalike, chain: null, SslPolicyErrors.None));
    }

    [Fact]
    public void WithACa_LeavesOfThatCaAreTrusted_AndNothingElse()
    {
        using var authority = TestCertificates.Authority("synapse-ca");
        using var otherAuthority = TestCertificates.Authority("synapse-ca");
        using var silo = TestCertificates.IssuedBy(authority, "silo-1");
        using var frontEnd = TestCertificates.IssuedBy(authority, "front-end");
        using var foreign = TestCertificates.IssuedBy(otherAuthority, "silo-1");
        using var selfSigned = TestCertificates.SelfSigned("silo-1");
        var validator = new OrleansPeerValidator(silo, authority);

        Assert.True(validator.IsTrusted(frontEnd, chain: null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(validator.IsTrusted(foreign, chain: null, SslPolicyErrors.None));
        Assert.False(validator.IsTrusted(selfSigned, chain: null, SslPolicyErrors.None));
    }
}
