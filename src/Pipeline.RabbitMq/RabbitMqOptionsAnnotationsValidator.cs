using Microsoft.Extensions.Options;

namespace Pipeline.RabbitMq;

/// <summary>The range and required checks of <see cref="RabbitMqOptions"/>, source-generated (no reflection at start-up).</summary>
[OptionsValidator]
internal sealed partial class RabbitMqOptionsAnnotationsValidator : IValidateOptions<RabbitMqOptions>;
