namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Card numbers published by payment providers for testing and by a public PII detector's test
/// suite, each line under the <c># source:</c> it was read from. Test card numbers are real card
/// shapes (issuer range, length, Luhn): the engine must find them.
/// </summary>
internal static class PublicCards
{
    public const string Text = """
# source: Stripe documentation, "Testing" (docs.stripe.com/testing), card numbers by brand
Visa test card {{credit_card:4242424242424242}} for the demo.
Visa debit {{credit_card:4000056655665556}} works in test mode.
Mastercard {{credit_card:5555555555554444}} is the default.
Mastercard 2-series {{credit_card:2223003122003222}} is accepted too.
Mastercard debit {{credit_card:5200828282828210}} in the sandbox.
Mastercard prepaid {{credit_card:5105105105105100}} for top-ups.
Amex {{credit_card:378282246310005}} needs a 4-digit CVC.
Second Amex {{credit_card:371449635398431}} also works.
Discover {{credit_card:6011111111111117}} for US tests.
Discover {{credit_card:6011000990139424}} is another one.
Discover debit {{credit_card:6011981111111113}} as well.
Diners Club {{credit_card:3056930009020004}} (16 digits).
Diners Club 14-digit card {{credit_card:36227206271667}}.
BCcard and DinaCard {{credit_card:6555900000604105}} in test mode.
JCB {{credit_card:3566002020360505}} for Japan.
UnionPay {{credit_card:6200000000000005}} for China.
UnionPay debit {{credit_card:6200000000000047}} as well.
UnionPay 19-digit card {{credit_card:6205500000000000004}} too.
Declined card {{credit_card:4000000000000002}} always fails.
Insufficient funds: {{credit_card:4000000000009995}}.
Requires authentication: {{credit_card:4000 0000 0000 3220}}.
Incorrect CVC simulation with {{credit_card:4000000000000127}}.
Expired card simulation with {{credit_card:4000000000000069}}.
Processing error simulation with {{credit_card:4000000000000119}}.
Card number 4242424242424241 is the documented "incorrect number" (fails Luhn).
# source: Microsoft Presidio, presidio-analyzer/tests/test_credit_card_recognizer.py
{{credit_card:4012888888881881}} {{credit_card:4012-8888-8888-1881}} {{credit_card:4012 8888 8888 1881}}
{{credit_card:122000000000003}}
my credit card: {{credit_card:122000000000003}}
{{credit_card:371449635398431}}
{{credit_card:5019717010103742}}
{{credit_card:30569309025904}}
{{credit_card:6011000400000000}}
{{credit_card:3528000700000000}}
{{credit_card:6759649826438453}}
{{credit_card:4111111111111111}}
{{credit_card:4917300800000000}}
{{credit_card:4484070000000000}}
4012-8888-8888-1882
my credit card number is 4012-8888-8888-1882
36168002586008
my credit card number is 36168002586008
# source: CyberSource and Braintree test card numbers (developer documentation)
UATP test card {{credit_card:135412345678911}} for airline payments.
Maestro test card {{credit_card:6759411100000008}}.
Maestro 19-digit test card {{credit_card:6759560045005727054}}.
Maestro UK test card {{credit_card:5641821111166669}}.
Maestro 18-digit test card {{credit_card:586824160825533338}}.
Maestro 14-digit test card {{credit_card:50339619890917}}.
Mastercard 2-series test card {{credit_card:2222420000001113}}.
Mastercard 2-series test card {{credit_card:2222630000001125}}.
JCB test card {{credit_card:3566111111111113}}.
Braintree Visa {{credit_card:4500600000000061}}.
Braintree Visa {{credit_card:4217651111111119}}.
Braintree Visa {{credit_card:4009348888881881}}.
Braintree Visa {{credit_card:4005519200000004}}.
Braintree Mastercard {{credit_card:2223000048400011}}.
Braintree Maestro {{credit_card:6304000000000000}}.
Braintree Diners {{credit_card:36259600000004}}.
""";
}
