import { conflict, ruleViolation } from '../kernel/errors';
import { Order } from './records';

/** Wrong state is a CONFLICT; a state blocked by a risk alert is a RULE_VIOLATION. */
export function requireStatus(order: Order, status: Order['status']): void {
  if (order.status === status) return;
  if (order.status === 'suspended')
    throw ruleViolation(`order ${order.id} is suspended by risk alert ${order.alertId ?? '(unknown)'} until a regulator decides`);
  throw conflict(`order ${order.id} is ${order.status}, not ${status}`);
}
