namespace Synapse.Tests.Dlp.Corpus;

/// <summary>The hand-written part of the evaluation corpus (format described in its first lines).</summary>
internal static class HandwrittenCorpus
{
    public const string Text = """
# Hand-written evaluation samples. One sample per line. Expected matches are marked
# {{category:value}}; everything unmarked must NOT be reported. {{secret:$kind}} is replaced at
# run time by a freshly generated, synthetic key of that shape (so no key-shaped literal is
# committed); {{-:$kind}} inserts a generated value that is NOT a match. "\n" stands for a newline. All values are synthetic or documentation examples.
Please charge {{credit_card:4111 1111 1111 1111}} for the renewal.
Card on file: {{credit_card:5555-5555-5555-4444}}, expires 12/27.
Amex {{credit_card:3782 822463 10005}} was declined yesterday.
The test Discover card is {{credit_card:6011111111111117}}.
Use {{credit_card:4012888888881881}} in the sandbox only.
JCB sample {{credit_card:3530111333300000}} from the docs.
Diners {{credit_card:3056 9309 0259 04}} still works.
Mastercard 2-series {{credit_card:2223 0031 2200 3222}} accepted.
My card is {{credit_card:４１１１ １１１１ １１１１ １１１１}} (typed on a phone keyboard).
Order 4111 1111 1111 1112 could not be matched to a payment.
Tracking number 1234 5678 9012 3456 is on the label.
Reference 9876543210123456 was assigned to the ticket.
The account id is 7992739871300000 in the legacy system.
Invoice INV-2024-000123 is overdue by 30 days.
Release v10.4.2 ships on 2024-11-05 at 09:30:00Z.
Build 1.2.3.4567 passed all checks.
Commit 3f9a1c2e8b7d6f5a4e3c2b1a0f9e8d7c6b5a4f3e fixed the race.
Request id 550e8400-e29b-41d4-a716-446655440000 timed out.
ISBN 978-0-306-40615-7 is the reference edition.
ISBN-10 0-306-40615-2 is printed on the back cover.
The meeting moved from 2023-10-12 to 2023-10-19.
Timestamp 1700000000123 marks the start of the batch.
Call me on {{phone:+1 415 555 2671}} after five.
Office: {{phone:(415) 555-0132}}, ask for Dana.
UK desk {{phone:+44 20 7946 0958}} is staffed 9-5.
Ring {{phone:020 7946 0018}} for the London office.
Mobile {{phone:07700 900123}} (UK test range).
Paris: {{phone:01 23 45 67 89}}.
Berlin landline {{phone:030 1234567}}.
Support hotline {{phone:1-800-555-0199}} is toll free.
Fax {{phone:415.555.0147}} is rarely used.
phone: {{phone:4155550123}}
WhatsApp {{phone:+49 151 23456789}} for quick questions.
The score was 3-2 and then 10-7 in overtime.
Room 1204, floor 12, building 3.
Population grew from 8,336,817 to 8,804,190.
The part number 555-12345-001 is discontinued.
We shipped 1,250 units on 12/05/2023.
Pi is about 3.14159265358979 and e about 2.718281828.
Coordinates 51.5074, -0.1278 point to London.
Write to {{email:jane.doe@example.com}} for access.
CC {{email:ops-team+alerts@mail.example.org}} on incidents.
Contact: {{email:ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ}}.
Her address is {{email:firstname.obrien@example.co.uk}} according to the form.
Send it to {{email:user_42@sub.domain.example.net}}.
Follow @synapse_ai on the forum for updates.
Import from @types/node and @angular/core.
The icon@2x.png asset is missing from the bundle.
Run ssh git@localhost to test the mirror.
Decorate the method with @Override and @Deprecated.
Email me at jane at example dot com.
Transfer to {{iban:GB29 NWBK 6016 1331 9268 19}} by Friday.
IBAN: {{iban:DE89 3704 0044 0532 0130 00}}
Account {{iban:FR1420041010050500013M02606}} (compact form).
Dutch account {{iban:NL91ABNA0417164300}} on the invoice.
Belgian IBAN {{iban:BE68 5390 0754 7034}}.
Norway {{iban:NO93 8601 1117 947}} is the shortest.
Malta {{iban:MT84 MALT 0110 0001 2345 MTLC AST0 01S}} is long.
The wrong IBAN GB29 NWBK 6016 1331 9268 18 bounced.
Country code XX12 3456 7890 1234 56 is not real.
Sort code 60-16-13 and account 31926819.
SSN {{us_ssn:536-90-4399}} on the W-2.
Her social security number is {{us_ssn:078-52-1120}}.
SSN: {{us_ssn:219 09 9998}}
ssn {{us_ssn:536904399}}
The form lists 666-12-3456 which is not a valid number.
Area 000-12-3456 is never issued.
Group 123-00-4567 is invalid too.
Serial 123-45-0000 is invalid.
Number 912-34-5678 is in the ITIN range, not an SSN.
Order 536904399 shipped on Monday.
ZIP+4 94107-1234 covers the block.
Sample card 078-05-1120 from the wallet insert is void.
NI number {{uk_nino:AB 12 34 56 C}} on the payslip.
NINO {{uk_nino:JG103759A}}
National insurance: {{uk_nino:ZR 64 12 83 B}}.
national insurance {{uk_nino:AB123456}}
Reference QQ 12 34 56 C is the HMRC example only.
Code BG123456A is an unallocated prefix.
Product SKU AB123456 is back in stock.
Part DA123456C uses an invalid first letter.
Server {{ip_address:192.168.10.24}} is down.
Gateway {{ip_address:10.0.0.1}} answers pings.
IPv6 host {{ip_address:2001:db8:85a3::8a2e:370:7334}} is reachable.
Loopback {{ip_address:::1}} is fine.
Mapped {{ip_address:::ffff:192.0.2.128}} shows in logs.
Link local {{ip_address:fe80::1ff:fe23:4567:890a}} on eth0.
Upgrade to version 1.2.3.4 before Monday.
Build 4.0.30319.42000 of the framework.
The ratio 999.12.1.1 is not an address.
Section 1.2.3.4.5 of the spec covers it.
MAC 00:1A:2B:3C:4D:5E belongs to the printer.
The race started at 12:30:45 sharp.
Use std::vector and std::map here.
Ratio 16:9 looks best.
Set OPENAI_API_KEY={{secret:$openai}} in the env file.
Legacy key {{secret:$openai-legacy}} was rotated.
export ANTHROPIC_API_KEY="{{secret:$anthropic}}"
aws_access_key_id = {{secret:$aws}}
Temporary creds {{secret:$aws-session}} expire hourly.
GITHUB_TOKEN={{secret:$github}}
The fine-grained token {{secret:$github-pat}} has repo scope.
SLACK_BOT_TOKEN={{secret:$slack}}
stripe.api_key = '{{secret:$stripe}}'
restricted: {{secret:$stripe-restricted}}
maps key {{secret:$google}}
Authorization: Bearer {{secret:$jwt}}
{{secret:$pem}}
We use sk-learn-compatible-transformers-pipeline for the models.
The task-1234567890abcdefABCDEF was closed.
Test key {{-:$stripe-test}} is only good against the Stripe sandbox.
AKIA1234 is too short to be an access key.
The ghp_prefix is used by GitHub for classic tokens.
Header eyJhbGciOiJIUzI1NiJ9 alone is not a token.
-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----
-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQk\n-----END CERTIFICATE-----
Base64 blob SGVsbG8gV29ybGQhIFRoaXMgaXMgYSB0ZXN0Lg== decodes to a greeting.
The xoxb- prefix marks Slack bot tokens.
Refund {{credit_card:4111111111111111}} and email {{email:billing@example.com}} today.
Wire {{iban:GB29NWBK60161331926819}} and call {{phone:+33 1 23 45 67 89}}.
Employee {{us_ssn:536-90-4399}} lives at {{ip_address:203.0.113.7}}.
""";
}
