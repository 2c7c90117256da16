using System.Diagnostics;
using Pipeline.Fetching;

namespace Pipeline.Processing;

/// <summary>What travels through the processing channel: a settled result, the body kept for it, and its fetch span.</summary>
/// <param name="Result">The result.</param>
/// <param name="Body">The body that was kept, or <see langword="null"/>; the processing worker that takes the item disposes it.</param>
/// <param name="FetchSpan">The context of the result's <c>fetch url</c> span, which the <c>process result</c> span links to.</param>
internal readonly record struct ProcessItem(FetchResult Result, ResponseBody? Body, ActivityContext FetchSpan);
