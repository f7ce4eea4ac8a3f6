namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Key-shaped values from public secret-scanner test suites and vendor documentation. Positives are
/// the suites' true positives that have their vendor's real shape; negatives are their false
/// positives, published documentation examples and placeholders. Where a suite's "true positive" is
/// a placeholder this engine refuses (a sequential-alphabet Anthropic example, a JWT whose header is
/// not JSON), the line is a negative and says so: docs/dlp.md lists these disagreements. Every
/// literal is split with <c>~~</c>.
/// </summary>
internal static class PublicSecrets
{
    public const string Text = """
# source: gitleaks, cmd/generate/config/rules/aws.go (true positive)
aws_access_key_id = {{secret:AKIA~~LALEMEL33243OLIB}}
# source: gitleaks, cmd/generate/config/rules/aws.go (false positives)
key = AKIA~~XXXXXXXXXXXXXXXX
aws_access_key: AKIA~~IOSFODNN7EXAMPLE
TODAYINASIAASACKOFRICEFELLOVER
# source: AWS documentation, IAM user guide and Signature Version 4 examples (example access key ids)
Use the example key AKIA~~IOSFODNN7EXAMPLE from the IAM guide.
The signing example uses AKIA~~I44QH8DHBEXAMPLE as its access key id.
# source: DataDog dd-sensitive-data-scanner, sds/src/secondary_validation/github_token_checksum.rs (valid checksums)
token {{secret:gh~~p_M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V4}}
GITHUB_TOKEN={{secret:gh~~p_HEEjXavM6wKtyhAUwDblMznMEhWyTt4XwY6f}}
export GH_TOKEN="{{secret:gh~~p_yk8LTIKF7M9SgRPBFzu7nkPQBBLcAa2aAbrx}}"
git clone https://{{secret:gh~~p_vKdQ4XtRZOBFd16YZEgyLKyQ8Cee4g2NJ0mT}}@github.com/org/repo
# source: DataDog dd-sensitive-data-scanner, sds/src/secondary_validation/github_token_checksum.rs (invalid tokens)
token gh~~p_M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V3
token gh~~p_M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V/
token gh~~pM7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V4
token gh~~p_T4V4
# source: GitHub Docs, "Authorizing OAuth apps" (example access_token)
access_token=gh~~o_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo&token_type=bearer
# source: gitleaks, cmd/generate/config/rules/slack.go (true positives)
"bot_token1": "{{secret:xo~~xb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD}}"
"bot_token2": "{{secret:xo~~xb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1MBS}}"
"bot_token3": "{{secret:xo~~xb-4614724432022-5152386766518-O5WzjWGLG0wcCm2WPrjEmnys}}"
"user_token1": "{{secret:xo~~xp-41684372915-1320496754-45609968301-e708ba56e1517a99f6b5fb07349476ef}}"
"user_token2": "{{secret:xo~~xp-283316862324-298911817009-298923149681-44f585044dace54f5701618e97cd1c0b}}"
"user_token3": "{{secret:xo~~xp-11873098179-111402824422-234336993777-b96c9fb3b69f82ebb79d12f280779de1}}"
"user_token4": "{{secret:xo~~xp-254112160503-252950188691-252375361712-6cbf56aada30951a9d310a5f23d032a0}}"
"user_token5": "{{secret:xo~~xp-4614724432022-4621207627011-5182682871568-1ddad9823e8528ad0f4944dfa3c6fc6c}}"
"bot_token1": "{{secret:xo~~xb-263594206564-FGqddMF8t08v8N7Oq4i57vs1}}"
"bot_token2": "{{secret:xo~~xb-282029623751-BVtmnS3BQitmjZvjpQL7PSGP}}"
"bot_token3": "{{secret:xo~~xb-47834520726-N3otsrwj8Cf99cs8GhiRZsX1}}"
"bot_token5": "{{secret:xo~~xb-312554961652-uSmliU84rFhnUSBq9YdKh6lS}}"
"bot_token6": "{{secret:xo~~xb-51351043345-Lzwmto5IMVb8UK36MghZYMEi}}"
"bot_token7": "{{secret:xo~~xb-130154379991-ogFL0OFP3w6AwdJuK7wLojpK}}"
"bot_token8": "{{secret:xo~~xb-159279836768-FOst5DLfEzmQgkz7cte5qiI}}"
"access_token1": "{{secret:xo~~xs-3206092076-3204538285-3743137121-836b042620}}"
"access_token2": "{{secret:xo~~xs-416843729158-132049654-5609968301-e708ba56e1}}"
"access_token3": "{{secret:xo~~xs-420083410720-421837374423-440811613314-977844f625b707d5b0b268206dbc92cbc85feef3e71b08e44815a8e6e7657190}}"
"access_token4": "{{secret:xo~~xs-4829527689-4829527691-4814341714-d0346ec616}}"
"access_token5": "{{secret:xo~~xs-155191149137-155868813314-338998331396-9f6d235915}}"
"access_token7": "{{secret:xo~~xo-523423-234243-234233-e039d02840a0b9379c}}"
"access_token": "{{secret:xo~~xa-2-511111111-31111111111-3111111111111-e039d02840a0b9379c}}"
# source: gitleaks, cmd/generate/config/rules/slack.go (false positives)
xo~~xb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx
xo~~xb-xxx
xo~~xb-12345-abcd234
xo~~xb-xoxb-my-bot-token
"token1": "xo~~xp-1234567890"
"token2": "xo~~xp-XXXXXXXXXX-XXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
"token3": "xo~~xp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"
"token4": "xo~~xp-572370529330-573807301142-572331691188-####################"
xo~~xb-xxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx
xo~~xb-Slack_BOT_TOKEN
xo~~xb-abcdef-abcdef
xo~~xe.xoxp-1-SlackAppConfigurationAccessTokenHere
xo~~xe.xoxp-1-RANDOMSTRINGHERE
xo~~xe-1-xxx
https://github.com/xo~~xa-nyc/xoxa-nyc.github.io/blob/master/README.md
https://indieweb.org/images/3/35/2018-250-xo~~xo-indieweb-1.jpg
# source: gitleaks, cmd/generate/config/rules/openai.go (true positives)
OPENAI_API_KEY={{secret:sk~~-proj-SevzWEV_NmNnMndQ5gn6PjFcX_9ay5SEKse8AL0EuYAB0cIgFW7Equ3vCbUbYShvii6L3rBw3WT3BlbkFJdD9FqO9Z3BoBu9F-KFR6YJtvW6fUfqg2o2Lfel3diT3OCRmBB24hjcd_uLEjgr9tCqnnerVw8A}}
key: {{secret:sk~~-proj-pBdaVZqlIfO5ajF9Gmg6Zq9Hlxaf_6lO6nxwlLOsYlXfg417LExcnpK1cQg4sDUOC_APpcA1OST3BlbkFJVH3Na-MVcBBXrWlVGNCme7WRJQxqE43p1-LgHZSF1o-yv3QQimfMb48ES40JDsFuqqbqnx5moA}}
{{secret:sk~~-proj-0Ht0WyQdo7xzfVVLZm3yg5i7LwB6D_FnCmMItt9QNuJDPpuFejxznyNGXFWrhI7sypfCOVK4_dT3BlbkFJz87HwFKBZv0syLGb9BOPVgfuio2liNGTXJAKRkKdwH70k3-06UerqqvfKQ78zaA-HjV8Msh5QA}}
{{secret:sk~~-svcacct-0Zkr4NUd4f_6LkfHfi3LlC8xKZQePXJCb21UiUWGX0F3_-6jv9PpY9JtaoooN9CCUPltpFiamwT3BlbkFJZVaaY7Z2aq_-I96dwiXeKVhRNi8Hs7uGmCFv5VTi2SxzmUsRgJoUJCbgPFWSXYDPPbYHJAuwIA}}
{{secret:sk~~-svcacct-jCXpXf55RDUc53mTOyb0o-ev528lRQp-ccxlemG1k9BlH3DRbR3sShN_OGcUy10LjOylzuvZOKT3BlbkFJjjaWA66JCJA_ZUbSy_21qWJJyocRLc86h5482fiwB_QOA3SxhRX351wVDMQRmhWvLiUfHVnREA}}
{{secret:sk~~-svcacct-gsHpWfHMnR63U6iIVr6vktYHdc9UeqZ_9se6GOscIyiZ7l6oqIHd3FwAPkAQhn5C_ncQp40TbjT3BlbkFJCm4QPOlcfpZoas3cWSofXmTnpO0Tj-FiPqqJkL3F-5U1fFa2Vi0KKu7jGKDNUW8c4-f5j_sX4A}}
{{secret:sk~~-admin-JWARXiHjpLXSh6W_0pFGb3sW7yr0cKheXXtWGMY0Q8kbBNqsxLskJy0LCOT3BlbkFJgTJWgjMvdi6YlPvdXRqmSlZ4dLK-nFxUG2d9Tgaz5Q6weGVNBaLuUmMV4A}}
{{secret:sk~~-admin-OYh8ozcxZzb-vq8fTGSha75cs2j7KTUKzHUh0Yck83WSzdUtmXO76SojXbT3BlbkFJ0ofJOiuHGXKUuhUGzxnVcK3eHvOng9bmhax8rIpHKeq-WG_p17HwOy2TQA}}
{{secret:sk~~-admin-ypbUmRYErPxz0fcyyH6sFBMM_WB57Xaq0prNvasOOWkhbEQfpBxgV42jS3T3BlbkFJmqB_sfX3A5MyI7ayjdxUChH8h6cDuu1Xc1XKgjuoP316BECTcpOy2qiRYA}}
# source: gitleaks, cmd/generate/config/rules/anthropic.go (false positives; the rule's hand-written "valid example" is a placeholder of alphabet runs, refused here)
sk~~-ant-api03-abc123xyz-456de-klMnopqrstuvwx-3456yza789bcde-1234fghijklmnopAA
sk~~-ant-api03-abc123xyz-456def789ghij-klmnopqrstuvwx-3456yza789bcde-1234fghijklmnopby56aaaogaopaaaabc123xyzBB
sk~~-ant-api03-abc123xyz-456def789ghij-klmnopqrstuvwx-3456yza789bcde-1234fghijklmnopby56aaaogaopaaaabc123xyzAA
anthropic_token = "sk~~-ant-oat01-tooShort"
# source: gitleaks, cmd/generate/config/rules/gcp.go (true positive)
key {{secret:AIza~~SyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-}} in the config
# source: gitleaks, cmd/generate/config/rules/gcp.go (false positives, including the Firebase Android SDK's example keys)
GWw4hjABFzZCGiRpmlDyDdo87Jn9BN9THUA47muVRNunLxsa82tMAdvmrhOqNkRKiYMEAFbTJAIza~~Tesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDq
AIza~~Tesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDqabcd123
apiKey: "AIza~~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
AIZA~~SYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O
AIza~~Syabcdefghijklmnopqrstuvwxyz1234567
AIza~~SyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs
AIza~~SyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM
AIza~~SyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU
AIza~~SyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0
AIza~~yDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A
AIza~~SyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c
AIza~~SyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4
AIza~~SyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY
AIza~~SyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM
AIza~~SyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ
AIza~~SyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g
AIza~~SyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU
AIza~~SyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw
AIza~~SyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE
AIza~~SyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY
# source: jwt.io (the site's example token)
Authorization: Bearer eyJ~~hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c
# source: RFC 7519, section 3.1 (example JWT)
eyJ~~0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
# source: gitleaks, cmd/generate/config/rules/jwt.go (its "true positive" has a header that does not decode to JSON: refused here)
JWT := eyJ~~hbGciOieeeiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwic3ViZSI6IjEyMzQ1Njc4OTAiLCJuYW1lZWEiOiJKb2huIERvZSIsInN1ZmV3YWZiIjoiMTIzNDU2Nzg5MCIsIm5hbWVmZWF3ZnciOiJKb2huIERvZSIsIm5hbWVhZmV3ZmEiOiJKb2huIERvZSIsInN1ZndhZndlYWIiOiIxMjM0NTY3ODkwIiwibmFtZWZ3YWYiOiJKb2huIERvZSIsInN1YmZ3YWYiOiIxMjM0NTY3ODkwIiwibmFtZndhZSI6IkpvaG4gRG9lIiwiaWZ3YWZhYXQiOjE1MTYyMzkwMjJ9.a_5icKBDo-8EjUlrfvz2k2k-FYaindQ0DEYNrlsnRG0
# source: gitleaks, cmd/generate/config/rules/privatekey.go (true positives)
{{secret:-----BEGIN RSA PRIVATE~~ KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEmo3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2kTQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYdAiEBCUEaRQnMnbp79mxDXDf6AU0cN/RPBjb9qSHDcWZHGzUCIG2Es59z8ugGrDY+pxLQnwfotadxd+Uyv/Ow5T0q5gIJAiEAyS4RaI9YG8EWx/2w0T67ZUVAw8eOMB6BIUg0Xcu+3okCIBOs/5OiPgoTdSy7bcF9IGpSE8ZgGKzgYQVZeN97Y==\n-----END RSA PRIVATE KEY-----}}
{{secret:-----BEGIN PRIVATE~~ KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAVwAAAAdzc2gtcnNhAAAAAwEAAQAAAEEAqPfgaTEWEP3S9w0tgsicURfo+nLW09/0KfOPinhYZ4ouzU+3xC4plEp8Ut9FgL0AgqNslNaK34Kq+NZjO9DAQAAATB+9/CSfvfwkgAAAAdzc2gtcnNhAAAAQQCo9+BpMRYQ/dL3DS2CyJxRF+j6ctbT3/Qp84+KeFhnii7NT7fELilKUSnxS30WAvQCCo2yU1orfgqr41mM70MBAAAAAwEAAQAAAEAgkuLEHLaqkWhLgNKagSajeobLS3rPT0Agm0f7k55FXVt743hwNgkp98bMNrzy9AQ1mJGbQZGrpr4c8ZAx3aRNAAAAIBOs/5OiPgoTdSy7bcF9IGpSE8ZgGKzgYQVZeN97YE00AAAAIQCjEr8yAZ54u6Lfzkontk5iS2OEsE0AHr18rBNkWxQ2HQAAACEBCUEaRQnMnbp79mxDXDf6AU0cN/RPBjb9qSHDcWZHGzUAAAAXcGhwc2VjbGliLWdlbmVyYXRlZC1rZXkBAgME\n-----END PRIVATE KEY-----}}
# source: gitleaks, cmd/generate/config/rules/gcp.go (a service-account file's private key, JSON-escaped; true positive)
"private_key": "{{secret:-----BEGIN PRIVATE~~ KEY-----{BS}nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCy1yG25m+cplha{BS}n8h1Jmd9m15gGabp2Uk5B/lgHglYiE+TRH7GvLTg30x9FIoarZR5SLKWaSQ50JPNL{BS}npf5XlmiPmwRyY0hCQvDwPy0xX0iNCO/OGInGT0+oKXDtVb4e3NSp1sAmIVSVYyWg{BS}nlwDl0W28t9rZdRprMTA0NU5GMeTGolsFxjhTp313Ss7iZ6fsg6TDz5Gv1Js0iXyl{BS}nKDj1nIFaokZ7ERTOMGTQ4TTKgHIHhp4fVBsjJp4cKvv48DhabHLyz4zQhfzEK0dj{BS}n2KT2Kkp1GS1JwKRApxHVBPgm55CVsAMLTxHBVgvujcDKavfLLANSWpOZnIiNdbsE{BS}n1BWF/2VtAgMBAAECggEAGvSeGklFTWEtNBgGHg/ZQlEAkwbgmfDx5rSFZCxa+yvw{BS}n-----END PRIVATE KEY-----}}{BS}n"
# source: gitleaks, cmd/generate/config/rules/gcp.go (false positive: a private key field of 1,500 X)
"private_key": "-----BEGIN PRIVATE~~ KEY-----XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX-----END PRIVATE KEY-----"
""";
}
