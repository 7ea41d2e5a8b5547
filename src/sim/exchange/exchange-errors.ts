/**
 * Exchange admin REST's error vocabulary. The useful part is in error.details[].message, formatted
 * "<trace id>|<exception type>|<text>", as the PowerShell module shows it.
 */

export class ExchangeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly exceptionType: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function exchangeErrorBody(err: ExchangeHttpError, requestId: string) {
  const detail = `Ex${requestId.slice(0, 6).toUpperCase()}|${err.exceptionType}|${err.message}`;
  return {
    error: {
      code: err.status === 404 ? 'NotFound' : err.status === 429 ? 'TooManyRequests' : err.status >= 500 ? 'InternalServerError' : 'BadRequest',
      message: 'Error executing cmdlet',
      details: [{ code: 'Context', target: '', message: detail }],
      innererror: { message: detail, type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException' },
    },
  };
}

/** The server the sim pretends to be, as it appears in Exchange's "couldn't be found on" text. */
const DOMAIN_CONTROLLER = 'CY4PR11A004DC03.NAMPR11A004.PROD.OUTLOOK.COM';

export function objectNotFound(identity: string): ExchangeHttpError {
  return new ExchangeHttpError(
    404,
    'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${DOMAIN_CONTROLLER}'.`,
  );
}

export function unknownParameter(name: string): ExchangeHttpError {
  return new ExchangeHttpError(400, 'System.Management.Automation.ParameterBindingException', `A parameter cannot be found that matches parameter name '${name}'.`);
}

export function missingParameter(name: string): ExchangeHttpError {
  return new ExchangeHttpError(400, 'System.Management.Automation.ParameterBindingException', `Cannot process command because of one or more missing mandatory parameters: ${name}.`);
}

export function invalidValue(name: string, value: unknown, expected: string): ExchangeHttpError {
  return new ExchangeHttpError(
    400,
    'System.Management.Automation.ParameterBindingException',
    `Cannot bind parameter '${name}'. Cannot convert value "${String(value)}" to type "${expected}".`,
  );
}

/** PowerShell's ValidateRange refusal, raised before the cmdlet runs. */
export function outOfRange(name: string, value: number, min: number, max: number): ExchangeHttpError {
  const [side, bound, relation] = value < min ? ['less than the minimum', min, 'greater'] : ['greater than the maximum', max, 'less'];
  return new ExchangeHttpError(
    400,
    'System.Management.Automation.ParameterBindingValidationException',
    `Cannot validate argument on parameter '${name}'. The ${value} argument is ${side} allowed range of ${bound}. Supply an argument that is ${relation} than or equal to ${bound} and then try the command again.`,
  );
}

export function unknownCmdlet(name: string): ExchangeHttpError {
  return new ExchangeHttpError(
    400,
    'System.Management.Automation.CommandNotFoundException',
    `The term '${name}' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
  );
}
