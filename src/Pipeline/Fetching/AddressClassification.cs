namespace Pipeline.Fetching;

/// <summary>The category of an address and the rule (range) that put it there.</summary>
/// <param name="Category">The category.</param>
/// <param name="Rule">The matching range, such as <c>169.254.0.0/16</c>; <c>public</c> for public addresses.</param>
internal readonly record struct AddressClassification(AddressCategory Category, string Rule);
