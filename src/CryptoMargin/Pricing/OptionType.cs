namespace CryptoMargin.Pricing;

/// <summary>European call or put.</summary>
public enum OptionType
{
    Call,
    Put,
}
